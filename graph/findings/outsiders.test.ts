import { describe, expect, it } from 'vitest';
import { defaultServiceAccount, serviceAccountProject } from './outsiders.js';

describe('GCP service account emails', () => {
  it('name their project by id or number', () => {
    expect(serviceAccountProject('etl@acme-data-42.iam.gserviceaccount.com')).toEqual({
      projectId: 'acme-data-42',
    });
    expect(serviceAccountProject('acme-web@appspot.gserviceaccount.com')).toEqual({ projectId: 'acme-web' });
    expect(serviceAccountProject('123-compute@developer.gserviceaccount.com')).toEqual({
      projectNumber: '123',
    });
    expect(serviceAccountProject('123@cloudservices.gserviceaccount.com')).toEqual({ projectNumber: '123' });
    expect(serviceAccountProject('service-123@gcp-sa-pubsub.iam.gserviceaccount.com')).toEqual({
      projectNumber: '123',
    });
    expect(serviceAccountProject('service-123@compute-system.iam.gserviceaccount.com')).toEqual({
      projectNumber: '123',
    });
  });

  it('name no project for Google-owned robots', () => {
    expect(serviceAccountProject('cloud-logs@system.gserviceaccount.com')).toBeNull();
    expect(serviceAccountProject('robot@gcp-sa-example.iam.gserviceaccount.com')).toBeNull();
  });

  it('tell the default compute and App Engine accounts from look-alikes', () => {
    expect(defaultServiceAccount('123-compute@developer.gserviceaccount.com')?.kind).toBe('compute');
    expect(defaultServiceAccount('Acme-Web@AppSpot.gserviceaccount.com')).toEqual({
      kind: 'app-engine',
      project: { projectId: 'acme-web' },
    });
    expect(defaultServiceAccount('compute@acme-web.iam.gserviceaccount.com')).toBeNull();
    expect(defaultServiceAccount('123@cloudservices.gserviceaccount.com')).toBeNull();
    expect(defaultServiceAccount('123-compute@developer.gserviceaccount.com.evil.example')).toBeNull();
  });
});

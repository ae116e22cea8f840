/**
 * JSON Schema (draft 2020-12) of a report configuration file. Semantic checks that a schema
 * cannot express (cron syntax, IANA time zones, unique names) live in config.ts.
 */
import { FINDING_KINDS, SEVERITIES } from '../graph/findings/types.js';
import { CLOUDS } from '../graph/model.js';

export const SENSITIVITIES = ['critical', 'high', 'medium', 'low'] as const;
export const OUTPUT_FORMATS = ['html', 'md', 'json', 'csv'] as const;

const selector = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    id: { type: 'string', minLength: 1 },
    type: { type: 'string', minLength: 1 },
    tags: {
      type: 'object',
      minProperties: 1,
      // a tag given as true only needs to exist; a string must match exactly
      additionalProperties: { anyOf: [{ type: 'string' }, { const: true }] },
    },
    namePattern: { type: 'string', minLength: 1 },
    search: { type: 'string', minLength: 1 },
  },
};

const report = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    description: { type: 'string' },
    schedule: {
      type: 'object',
      additionalProperties: false,
      required: ['cron'],
      properties: {
        cron: { type: 'string', minLength: 1 },
        timezone: { type: 'string', minLength: 1 },
      },
    },
    scope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clouds: { type: 'array', items: { enum: [...CLOUDS] }, uniqueItems: true },
        accounts: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      },
    },
    crownJewels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'select'],
        properties: {
          name: { type: 'string', minLength: 1 },
          sensitivity: { enum: [...SENSITIVITIES] },
          select: { type: 'array', minItems: 1, items: selector },
          level: { enum: ['read', 'write', 'admin'] },
        },
      },
    },
    findings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kinds: { type: 'array', items: { enum: [...FINDING_KINDS] }, uniqueItems: true },
        minSeverity: { enum: [...SEVERITIES] },
        dormantDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        formats: { type: 'array', minItems: 1, items: { enum: [...OUTPUT_FORMATS] }, uniqueItems: true },
        dir: { type: 'string', minLength: 1 },
      },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        // the signature is only worth checking when keyed by a secret the receiver shares
        required: ['url', 'secretEnv'],
        properties: {
          url: { type: 'string', pattern: '^https?://' },
          secretEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          retries: { type: 'integer', minimum: 0, maximum: 10 },
        },
      },
    },
    retention: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        keepRuns: { type: 'integer', minimum: 1, maximum: 10000 },
        keepDays: { type: 'integer', minimum: 1, maximum: 36500 },
      },
    },
    trendRuns: { type: 'integer', minimum: 2, maximum: 365 },
  },
};

export const REPORT_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['reports'],
  properties: {
    reports: { type: 'array', minItems: 1, items: report },
  },
};

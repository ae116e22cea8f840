/**
 * The reports page's GraphQL queries (result types in report-types.ts). No imports and no
 * browser code, so the API tests (api/reports-resolver.test.ts) send these exact strings
 * through the server's depth and cost limits.
 */

const RUN = `id report trigger startedAt finishedAt outcome error
  counts { critical high medium low info } score { items findings crownJewelPaths maxScore }`;
const ITEM = `key source kind title score band severity conditional technique
  principal { id kind name placeholder } target { id kind name placeholder }`;
const NODE = 'id cloud kind name type source placeholder';

/** Page sizes: the runs list, a run's risks, and each list of the diff. */
export const RUNS_PAGE = 20;
export const ITEMS_PAGE = 50;
export const DIFF_PAGE = 100;

export const RQ = {
  reports: `query Reports { reports { name description schedule timezone nextRunAt running runCount lastRun { ${RUN} } } }`,
  runs: `query ReportRuns($report: String!, $first: Int, $after: String) {
    reportRuns(report: $report, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { ${RUN} } } } }`,
  runItems: `query ReportRunItems($id: ID!, $first: Int, $after: String) {
    reportRun(id: $id) { ${RUN}
      items(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${ITEM} } } } } }`,
  diff: `query ReportDiff($report: String!, $run: ID, $first: Int) {
    reportDiff(report: $report, run: $run) {
      previousRun { id startedAt } addedCount resolvedCount changedCount unchanged
      added(first: $first) { ${ITEM} }
      resolved(first: $first) { ${ITEM} }
      changed(first: $first) { previousScore previousBand item { ${ITEM} } } } }`,
  item: `query ReportItem($id: ID!, $key: ID!) {
    reportRun(id: $id) { id item(key: $key) { ${ITEM} remediation jewel actions facts pathRecorded
      path { from to edge conditional actions technique via { ref label statement excerpt } }
      pathNodes { ${NODE} } } } }`,
  run: `mutation RunReport($name: String!) { runReport(name: $name) { ${RUN} } }`,
  oneRun: `query OneReportRun($id: ID!) { reportRun(id: $id) { ${RUN} } }`,
};

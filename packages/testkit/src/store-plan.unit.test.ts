import { storePlan } from './store-plan';

// Shapes as the stores answer `explain` of a find (MongoDB 7 classic and slot-based engines,
// MongoDB 8, FerretDB 1.24 on SQLite), trimmed to what the reader looks at.
const mongo = (winningPlan: unknown) => ({ queryPlanner: { namespace: 'db.c', winningPlan }, ok: 1 });
const sqlite = (...lines: string[]) => ({
  queryPlanner: { Plan: lines },
  serverInfo: { ferretdbVersion: 'v1.24.2' },
});

describe('storePlan', () => {
  it.each([
    ['MongoDB 7 IDHACK', mongo({ stage: 'IDHACK' }), true],
    ['MongoDB 8 express', mongo({ isCached: false, stage: 'EXPRESS_IXSCAN', indexName: '_id_' }), true],
    [
      'MongoDB FETCH over the _id index (slot-based engine)',
      mongo({
        queryPlan: {
          stage: 'FETCH',
          filter: { version: { $eq: 1 } },
          inputStage: { stage: 'IXSCAN', keyPattern: { _id: 1 }, indexName: '_id_' },
        },
        slotBasedPlan: { stages: '...' },
      }),
      true,
    ],
    [
      'MongoDB update over the _id index',
      mongo({
        stage: 'UPDATE',
        inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: '_id_' } },
      }),
      true,
    ],
    ['MongoDB collection scan', mongo({ stage: 'COLLSCAN', filter: { version: { $eq: 1 } } }), false],
    [
      'MongoDB another index',
      mongo({ stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'taxCode_1' } }),
      false,
    ],
    [
      'SQLite search by the _id index',
      sqlite('id=3 parent=0 notused=0 detail=SEARCH docs_28eb34d2 USING INDEX docs_28eb34d2__id_ (<expr>=?)'),
      true,
    ],
    ['SQLite scan', sqlite('id=2 parent=0 notused=0 detail=SCAN docs_28eb34d2'), false],
  ])('%s', (_what, explain, usesIdIndex) => {
    expect(storePlan(explain).usesIdIndex).toBe(usesIdIndex);
  });

  it('refuses an answer it cannot read', () => {
    expect(() => storePlan({ queryPlanner: { 'Query Plan': {} } })).toThrow(/unknown explain/);
  });
});

import { checkpointedRecords } from './ingest-kinesis-prefill';

describe('checkpointedRecords', () => {
  it('counts the records at or before each shard checkpoint, and all of a shard read to its end', () => {
    const placement = new Map([
      ['a', [10n, 20n, 30n]],
      ['b', [11n, 21n]],
      ['c', [12n]],
    ]);
    expect(checkpointedRecords(placement, new Map())).toBe(0);
    expect(
      checkpointedRecords(
        placement,
        new Map([
          ['a', { kind: 'sequence', sequenceNumber: '20' }],
          ['b', { kind: 'sequence', sequenceNumber: '15' }],
          ['c', { kind: 'shardEnd' }],
        ]),
      ),
    ).toBe(4);
    expect(checkpointedRecords(placement, new Map([['a', { kind: 'sequence', sequenceNumber: '99' }]]))).toBe(3);
  });
});

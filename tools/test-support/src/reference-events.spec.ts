import { listReferenceEvents, loadV1Specification } from './reference-events';

describe('reference events', () => {
  it('finds the reference samples in the repository', () => {
    expect(listReferenceEvents().map((e) => e.envelope['detail-type']).sort()).toEqual([
      'ECS Container Instance State Change',
      'ECS Task State Change',
    ]);
  });

  it('loads the original v1 specification', () => {
    expect(Object.keys(loadV1Specification().paths)).toContain('/tasks');
  });
});

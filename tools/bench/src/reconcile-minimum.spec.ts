import { minimumClusterCalls, minimumRunCalls, totalCalls } from './reconcile-minimum';

const shape = (running: number, pending = 0, stopped = 0, instances = 10, services = 0) => ({
  tasksByDesiredStatus: { RUNNING: running, PENDING: pending, STOPPED: stopped },
  instances,
  services,
});

describe('minimum ECS calls of a reconcile', () => {
  it('counts a 10,000-task cluster as 100 list pages, 3 empty listings, 100 describes and 4 more', () => {
    expect(minimumClusterCalls(shape(10_000))).toEqual({
      ListClusters: 0,
      DescribeClusters: 1,
      ListContainerInstances: 1,
      DescribeContainerInstances: 1,
      ListTasks: 102,
      DescribeTasks: 100,
      ListServices: 1,
      DescribeServices: 0,
    });
    expect(totalCalls(minimumClusterCalls(shape(10_000)))).toBe(206);
  });

  it('lists services 100 a page and describes them 10 a call', () => {
    expect(minimumClusterCalls(shape(0, 0, 0, 0, 50))).toMatchObject({ ListServices: 1, DescribeServices: 5 });
    expect(minimumClusterCalls(shape(0, 0, 0, 0, 101))).toMatchObject({ ListServices: 2, DescribeServices: 11 });
  });

  it('rounds partial pages up, and describes across statuses in shared batches', () => {
    const calls = minimumClusterCalls(shape(150, 1, 49, 101));
    expect(calls.ListTasks).toBe(2 + 1 + 1);
    expect(calls.DescribeTasks).toBe(2);
    expect(calls.ListContainerInstances).toBe(2);
    expect(calls.DescribeContainerInstances).toBe(2);
  });

  it('needs only the empty listings for an empty cluster', () => {
    expect(totalCalls(minimumClusterCalls(shape(0, 0, 0, 0)))).toBe(1 + 1 + 3 + 1);
  });

  it('adds the ListClusters pages of the run', () => {
    const run = minimumRunCalls(Array.from({ length: 10 }, () => shape(10_000)));
    expect(run.ListClusters).toBe(1);
    expect(totalCalls(run)).toBe(2061);
  });
});

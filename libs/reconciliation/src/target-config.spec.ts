import { parseReconcileTargets } from './target-config';

function problems(text: string): string {
  const result = parseReconcileTargets(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.message;
}

describe('parseReconcileTargets', () => {
  it('reads the compact form: account:region[:roleArn], comma-separated', () => {
    expect(parseReconcileTargets(' 111122223333:us-east-1 , 444455556666:cn-north-1:arn:aws-cn:iam::444455556666:role/ecs-state-reader ')).toEqual({
      ok: true,
      value: [
        { partition: 'aws', region: 'us-east-1', account: '111122223333' },
        { partition: 'aws-cn', region: 'cn-north-1', account: '444455556666', roleArn: 'arn:aws-cn:iam::444455556666:role/ecs-state-reader' },
      ],
    });
  });

  it('reads the JSON form with profiles, external ids, endpoints and an explicit partition', () => {
    const text = JSON.stringify([
      { account: '111122223333', region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/path/reader', externalId: 'ecs-state' },
      { account: '222233334444', region: 'us-gov-west-1', partition: 'aws-us-gov', profile: 'gov', endpoint: 'http://127.0.0.1:4566' },
    ]);
    expect(parseReconcileTargets(text)).toEqual({
      ok: true,
      value: [
        { partition: 'aws', region: 'eu-west-1', account: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/path/reader', externalId: 'ecs-state' },
        { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '222233334444', profile: 'gov', endpoint: 'http://127.0.0.1:4566' },
      ],
    });
  });

  it.each([
    ['a short account', '11112222333:us-east-1', 'entry 1 ("11112222333:us-east-1"): account must be 12 digits'],
    ['no region', '111122223333', 'entry 1 ("111122223333"): region is required'],
    ['a bad region', '111122223333:us_east_1', 'entry 1 ("111122223333:us_east_1"): region must be an AWS region'],
    ['a bad role', '111122223333:us-east-1:arn:aws:iam::1:user/x', 'entry 1 ("111122223333:us-east-1:arn:aws:iam::1:user/x"): roleArn must be an IAM role ARN'],
    ['a role of another partition', '111122223333:cn-north-1:arn:aws:iam::111122223333:role/r', 'roleArn is in partition "aws", the target in aws-cn'],
    ['an empty entry', '111122223333:us-east-1,', 'entry 2 (""): account must be 12 digits'],
    ['nothing', '  ', 'names no target'],
  ])('refuses %s, naming the entry', (_label, text, message) => {
    expect(problems(text)).toContain(message);
  });

  it('names the second of two entries for one account and region', () => {
    expect(problems('111122223333:us-east-1,222233334444:us-east-1,111122223333:us-east-1:arn:aws:iam::111122223333:role/r')).toBe(
      'entries 1 and 3 both name aws/us-east-1/111122223333',
    );
  });

  it.each([
    ['invalid JSON', '[{"account": "111122223333",', 'is not valid JSON'],
    ['an unknown field', '[{"account": "111122223333", "region": "us-east-1", "role": "x"}]', 'entry 1 (account 111122223333): Unrecognized key: "role"'],
    ['a role and a profile', '[{"account": "111122223333", "region": "us-east-1", "profile": "p", "roleArn": "arn:aws:iam::111122223333:role/r"}]', 'roleArn and profile exclude each other'],
    ['an external id without role', '[{"account": "111122223333", "region": "us-east-1", "externalId": "xyz"}]', 'externalId needs a roleArn'],
    ['a bad endpoint', '[{"account": "111122223333", "region": "us-east-1", "endpoint": "ftp://x"}]', 'endpoint must be an http(s) URL'],
    ['an unknown partition', '[{"account": "111122223333", "region": "us-east-1", "partition": "aws-moon"}]', 'partition must be one of aws, aws-cn'],
    ['an entry that is no object', '["111122223333:us-east-1"]', 'entry 1 (no account)'],
    ['an empty list', '[]', 'names no target'],
  ])('refuses JSON with %s', (_label, text, message) => {
    expect(problems(text)).toContain(message);
  });

  it('reports every bad entry at once', () => {
    const message = problems('1:us-east-1,111122223333:nowhere,222233334444:eu-west-1');
    expect(message).toContain('entry 1 ("1:us-east-1")');
    expect(message).toContain('entry 2 ("111122223333:nowhere")');
    expect(message).not.toContain('entry 3');
  });
});

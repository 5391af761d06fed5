import { AwsError } from '../aws/aws-error';

/** Describe* operations take between 1 and 100 identifiers, as in ECS. */
export const MAX_DESCRIBE = 100;

export function checkDescribeList(values: readonly string[], member: string, max = MAX_DESCRIBE): void {
  if (values.length === 0) throw new AwsError('InvalidParameterException', `${member} cannot be empty.`);
  if (values.length > max) {
    throw new AwsError('InvalidParameterException', `${member} can have at most ${max} items.`);
  }
}

export function wantsTags(include: readonly string[] | undefined): boolean {
  return include?.includes('TAGS') ?? false;
}

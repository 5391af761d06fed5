import { parse, type Tags, type YAMLSeq } from 'yaml';
import { readRepoFile } from './repo';

/** CloudFormation's short-form intrinsic functions, read as their long JSON form. */
const scalarFunctions: Record<string, (value: string) => unknown> = {
  '!Ref': (value) => ({ Ref: value }),
  '!Sub': (value) => ({ 'Fn::Sub': value }),
  '!GetAtt': (value) => {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  },
  '!ImportValue': (value) => ({ 'Fn::ImportValue': value }),
  '!Base64': (value) => ({ 'Fn::Base64': value }),
  '!Condition': (value) => ({ Condition: value }),
};
const sequenceFunctions = ['If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split', 'Sub', 'FindInMap', 'GetAZs', 'Cidr', 'GetAtt'];

const cloudFormationTags: Tags = [
  ...Object.entries(scalarFunctions).map(([tag, toLongForm]) => ({
    tag,
    resolve: (value: string) => toLongForm(value),
  })),
  ...sequenceFunctions.map((name) => ({
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (seq: YAMLSeq) => ({ [`Fn::${name}`]: seq.toJSON() }),
  })),
];

export type Json = unknown;

export interface Resource {
  Type: string;
  /** Created only when this condition holds. */
  Condition?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface Template {
  Parameters: Record<string, Record<string, unknown>>;
  Rules: Record<string, { RuleCondition?: unknown; Assertions: Array<{ Assert: unknown; AssertDescription: string }> }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, unknown>;
}

export const TEMPLATE_PATH = 'deploy/cloudformation/ecs-cluster-state.yaml';

export function readTemplate(): Template {
  const parsed: unknown = parse(readRepoFile(TEMPLATE_PATH), { customTags: cloudFormationTags });
  if (typeof parsed !== 'object' || parsed === null || !('Resources' in parsed)) throw new Error('not a template');
  return parsed as Template;
}

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function resource(template: Template, id: string): Resource {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Ref: AWS::NoValue`: the property or list item is left out. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Evaluates the intrinsic functions of a value for given parameter values, as
 * CloudFormation would at deployment. References to resources become recognisable
 * placeholders (`<EventQueue>`, `<ApiLoadBalancer.DNSName>`), or the value `refs` gives.
 */
export function evaluate(
  template: Template,
  value: unknown,
  parameters: Readonly<Record<string, string>>,
  refs: Readonly<Record<string, string>> = {},
): unknown {
  // A list parameter's value is given as CloudFormation takes it, comma-separated.
  const isList = (name: string): boolean => /^(List<|CommaDelimitedList)/.test(String(template.Parameters[name]?.['Type'] ?? ''));
  const ref = (name: string): string | string[] | typeof NO_VALUE => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in refs) return refs[name] as string;
    if (name in parameters) return isList(name) ? (parameters[name] as string).split(',') : (parameters[name] as string);
    if (name === 'AWS::Region') return 'us-east-1';
    if (name === 'AWS::AccountId') return '123456789012';
    if (name === 'AWS::StackName') return 'ecs-state';
    if (name === 'AWS::Partition') return 'aws';
    if (name in template.Resources) return `<${name}>`;
    const parameter = template.Parameters[name];
    if (parameter && 'Default' in parameter) return String(parameter['Default']);
    throw new Error(`unresolved reference ${name}`);
  };
  const condition = (name: string): boolean => {
    const result = evaluate(template, template.Conditions[name], parameters, refs);
    if (typeof result !== 'boolean') throw new Error(`condition ${name} is not a boolean`);
    return result;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk).filter((item) => item !== NO_VALUE);
    if (!isRecord(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const argument = node[key];
      switch (key) {
        case 'Ref':
          return ref(String(argument));
        case 'Fn::GetAtt': {
          const [id, attribute] = argument as [string, string];
          return `<${id}.${attribute}>`;
        }
        case 'Fn::Sub':
          return String(argument).replace(/\$\{([^}]+)\}/g, (_, name: string) =>
            name.includes('.') && !name.startsWith('AWS::') ? `<${name}>` : String(ref(name)),
          );
        case 'Fn::Split': {
          const [delimiter, text] = argument as [string, unknown];
          return String(walk(text)).split(delimiter);
        }
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
          return walk(condition(name) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals': {
          const [left, right] = (argument as unknown[]).map(walk);
          return left === right;
        }
        case 'Fn::Not':
          return !(walk((argument as unknown[])[0]) as boolean);
        case 'Fn::And':
          return (argument as unknown[]).every((item) => walk(item) === true);
        case 'Fn::Or':
          return (argument as unknown[]).some((item) => walk(item) === true);
        case 'Condition':
          return condition(String(argument));
        case 'Fn::Join': {
          const [delimiter, items] = argument as [string, unknown];
          const list = walk(items);
          if (!Array.isArray(list)) throw new Error('Fn::Join of a non-list');
          return list.join(delimiter);
        }
        default:
          break;
      }
    }
    return Object.fromEntries(Object.entries(node).flatMap(([key, child]) => {
      const value = walk(child);
      return value === NO_VALUE ? [] : [[key, value]];
    }));
  };
  return walk(value);
}

/** The assertion descriptions of the template's Rules that fail for the given parameters: CloudFormation refuses such a stack. */
export function failedRules(template: Template, parameters: Readonly<Record<string, string>>): string[] {
  const failed: string[] = [];
  for (const rule of Object.values(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && evaluate(template, rule.RuleCondition, parameters) !== true) continue;
    for (const assertion of rule.Assertions) if (evaluate(template, assertion.Assert, parameters) !== true) failed.push(assertion.AssertDescription);
  }
  return failed;
}

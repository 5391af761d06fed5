/** Distinct strings remembered at most; past it the table starts over (only sharing is lost). */
const MAX_STRINGS = 100_000;

/**
 * One copy of each repeated string. The fields filters read (statuses, launch
 * types, task definition and container instance ARNs, groups) repeat across
 * thousands of tasks, and each parsed record brings its own copies: shared,
 * they cost a pointer per task instead of up to a hundred bytes each.
 */
export class StringInterner {
  private readonly strings = new Map<string, string>();

  intern(text: string): string;
  intern(text: string | undefined): string | undefined;
  intern(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size >= MAX_STRINGS) this.strings.clear();
    this.strings.set(text, text);
    return text;
  }
}

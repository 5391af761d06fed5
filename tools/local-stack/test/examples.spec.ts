import { painter } from '../src/ansi';
import { banner } from '../src/banner';
import { bannerCommands, readmeApiBlocks } from './shell-examples';

// What cannot be pasted as it is: a value to fill in by hand, or a revision that only
// existed on the machine the example was written on.
const PLACEHOLDER = /<[^>]*>|…|(?:afterRevision|entityVersion)=\d/;

function commandLines(block: string): string[] {
  return block.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

describe('example commands', () => {
  it('the banner prints commands without placeholders, the export line first', () => {
    const text = banner(
      { apiUrl: 'http://127.0.0.1:3000', demoToken: 'demo-abc', mode: 'simulated ECS', etcdEndpoints: 'http://127.0.0.1:2379', redisUrl: 'redis://127.0.0.1:6379', simulatorUrl: undefined, skipped: [] },
      painter(false),
    );
    const commands = bannerCommands(text);
    expect(commands[0]).toBe('export API=http://127.0.0.1:3000 TOKEN=demo-abc');
    expect(commands.filter((line) => PLACEHOLDER.test(line))).toEqual([]);
    // A stream from the revision a list reflects, not from a number.
    expect(commands.some((line) => line.includes('afterRevision=$rev'))).toBe(true);
  });

  it.each(['README.md', 'tools/local-stack/README.md', 'deploy/README.md'])('%s has curl examples without placeholders', (file) => {
    const blocks = readmeApiBlocks(file);
    expect(blocks.length).toBeGreaterThan(0);
    // The banner's export line is shown with a placeholder token; the commands after it are not.
    const lines = blocks.flatMap(commandLines).filter((line) => !line.startsWith('export API='));
    expect(lines.filter((line) => PLACEHOLDER.test(line))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code the READMEs show is the code the consumer tests run (`consumers.int-spec.ts`): every
 * ```ts block whose first line names a file (`// src/app.module.ts`) is that file of the example
 * apps' shared code, `examples/app/src`, or an excerpt of it: parts separated by a `// …` line,
 * each found in the file, in order.
 */
const ROOT = join(__dirname, '..');
const DOCS = ['README.md', ...['redis', 'session', 'rate-limit', 'testing'].map((lib) => `libs/${lib}/README.md`)];
const ELISION = /^\s*\/\/ …\s*$/m;

function namedBlocks(doc: string): { file: string; code: string }[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  return [...text.matchAll(/```ts\n\/\/ src\/([\w.-]+\.ts)\n([\s\S]*?)```/g)].map(([, file, code]) => ({ file, code }));
}

/** The parts of `code` that `source` does not hold, in order; none when it is the file or an excerpt. */
function missingParts(code: string, source: string): string[] {
  let from = 0;
  const missing: string[] = [];
  for (const part of code.split(ELISION).map((chunk) => chunk.replace(/^\n+|\n+$/g, ''))) {
    const at = source.indexOf(part, from);
    if (at < 0) missing.push(part);
    else from = at + part.length;
  }
  return missing;
}

describe.each(DOCS)('%s', (doc) => {
  const blocks = namedBlocks(doc);

  it('shows the example apps’ code', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map(({ file, code }, index) => [`${index + 1}: src/${file}`, file, code]))(
    'block %s is that file, or parts of it in order',
    (_name, file, code) => {
      const source = readFileSync(join(ROOT, 'examples', 'app', 'src', file), 'utf8');
      expect(missingParts(code, source)).toEqual([]);
    },
  );
});

describe('the README’s "Using the module"', () => {
  it('shows the whole of app.module.ts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Using the module'), readme.indexOf('## Documentation'));
    const module = namedBlocks('README.md').find(
      ({ file, code }) => file === 'app.module.ts' && section.includes(code),
    );
    expect(module?.code).toBe(readFileSync(join(ROOT, 'examples', 'app', 'src', 'app.module.ts'), 'utf8'));
  });
});

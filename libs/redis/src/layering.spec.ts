import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folders of libs/redis/src, lowest first: a folder may import its own layer's neighbours only
 * when listed together, and otherwise only folders of lower layers, never one above it.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'common', 'sse'],
  ['options', 'fallback'],
  ['metrics', 'keyspace', 'client', 'tracing'],
  ['failover', 'executor'],
  ['cache', 'pubsub', 'switchover', 'locks', 'idempotency'],
  ['health'],
  ['status-page'],
];

const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

describe('libs/redis/src folders', () => {
  it('are all placed in a layer', () => {
    const folders = readdirSync(__dirname).filter((name) => statSync(join(__dirname, name)).isDirectory());
    expect(folders.filter((folder) => layerOf(folder) < 0)).toEqual([]);
  });

  it('import only lower layers', () => {
    const upward: string[] = [];
    for (const folder of readdirSync(__dirname).filter((name) => statSync(join(__dirname, name)).isDirectory())) {
      for (const file of readdirSync(join(__dirname, folder)).filter((name) => /(?<!spec)\.ts$/.test(name))) {
        const text = readFileSync(join(__dirname, folder, file), 'utf8');
        for (const [, target] of text.matchAll(/from '\.\.\/([a-z-]+)\//g)) {
          if (target !== folder && layerOf(target) >= layerOf(folder)) upward.push(`${folder}/${file} -> ${target}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});

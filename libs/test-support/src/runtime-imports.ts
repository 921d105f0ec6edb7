import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** Whether an import or re-export loads its module when the code runs (type-only ones do not). */
function loadsAtRuntime(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) {
    if (statement.isTypeOnly) return false;
    const clause = statement.exportClause;
    return !clause || !ts.isNamedExports(clause) || clause.elements.some((element) => !element.isTypeOnly);
  }
  const clause = statement.importClause;
  if (!clause) return true; // import './side-effect'
  if (clause.isTypeOnly) return false;
  const bindings = clause.namedBindings;
  if (clause.name || !bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((element) => !element.isTypeOnly);
}

/** `@nestjs/core/helpers/x` → `@nestjs/core`; `lru-cache` → `lru-cache`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The packages that loading `entryPath` loads, read from the syntax of every source file it reaches
 * through relative imports, type-only imports left out: what a package built from that entry needs
 * installed. Node.js built-ins (`node:…`) are left out too. For the spec that holds each package's
 * manifest to its code.
 */
export function runtimeImports(entryPath: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [resolve(entryPath)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !loadsAtRuntime(statement)) continue;
      if (specifier.text.startsWith('node:')) continue;
      if (!specifier.text.startsWith('.')) {
        packages.add(packageName(specifier.text));
        continue;
      }
      const base = resolve(dirname(file), specifier.text.replace(/\.js$/, ''));
      const target = [`${base}.ts`, `${base}/index.ts`].find((candidate) => existsSync(candidate));
      if (!target) throw new Error(`${file}: cannot find ${specifier.text}`);
      pending.push(target);
    }
  }
  return [...packages].sort();
}

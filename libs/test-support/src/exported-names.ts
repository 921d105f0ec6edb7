import { readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * The names a library's entry point exports (values and types), sorted, read from its syntax: the
 * entry points only re-export (`export { a, type B } from './x'`), so no type checking is needed.
 * For the specs that pin each library's public API.
 *
 * @throws Error for an `export *`, whose names only a type check could list.
 */
export function exportedNames(indexPath: string): string[] {
  const source = ts.createSourceFile(indexPath, readFileSync(indexPath, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) throw new Error(`${indexPath}: "export *" hides which names it exports`);
    for (const element of clause.elements) names.push(element.name.text);
  }
  return names.sort();
}

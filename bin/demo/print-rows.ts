/** Prints label/value rows as a two-column table, labels left-aligned and values right-aligned. */
export const printRows = (rows: readonly (readonly [string, string | number])[], print: (line: string) => void = console.log): void => {
  const shown = rows.map(([label, value]) => [label, typeof value === 'number' ? value.toLocaleString('en') : value] as const);
  const labelWidth = Math.max(...shown.map(([label]) => label.length));
  const valueWidth = Math.max(...shown.map(([, value]) => value.length));
  for (const [label, value] of shown) print(`${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`);
};

/**
 * Picks one store by typing its name or domain. A native <select> with thousands of options
 * costs the page a long task every time it is drawn; this offers only the first matches.
 */
import { useId, useMemo, useState } from 'react';
import { storeEntryLabel, useStores, type StoreEntry } from '../state/stores';

const MAX_OPTIONS = 50;

/** Every option says Live or Sandbox, and Archived when it is. */
const label = storeEntryLabel;

export function StorePicker(props: {
  value: string | null;
  onChange: (storeId: string | null) => void;
  /** What an empty field means, e.g. "All stores". */
  emptyLabel: string;
  ariaLabel: string;
  testId?: string;
}): React.JSX.Element {
  const directory = useStores((s) => s.directory);
  const chosen = useStores((s) => (props.value === null ? undefined : s.byId[props.value]));
  const [text, setText] = useState<string | null>(null);
  /** How many stores the typed text matches when it is more than one: the agent picks one from the list. */
  const [ambiguous, setAmbiguous] = useState(0);
  const listId = useId();
  const shown = text ?? (chosen === undefined ? '' : label(chosen));
  // Lowercased once per directory change, not per keystroke: at 5,000 stores each key scans this.
  const labels = useMemo(() => directory.map((s): [StoreEntry, string] => [s, label(s).toLowerCase()]), [directory]);
  const matches = useMemo(() => {
    const q = shown.trim().toLowerCase();
    const out: StoreEntry[] = [];
    for (const [s, l] of labels) {
      if (out.length >= MAX_OPTIONS) break;
      if (q === '' || l.includes(q)) out.push(s);
    }
    return out;
  }, [labels, shown]);

  const commit = (value: string): void => {
    const v = value.trim().toLowerCase();
    setAmbiguous(0);
    if (v === '') {
      setText(null);
      props.onChange(null);
      return;
    }
    // A full label (a choice from the list) shows as chosen at once.
    const full = labels.find(([, l]) => l === v)?.[0];
    if (full !== undefined) {
      setText(null);
      if (full.id !== props.value) props.onChange(full.id);
      return;
    }
    // Part of a name or domain: applied as soon as only one store matches; the typed text stays
    // until the field is left, so typing on is not disturbed.
    const exact = single(directory.filter((s) => s.name.toLowerCase() === v || s.shopDomain === v));
    let found = exact;
    if (found === undefined) {
      const hits: StoreEntry[] = [];
      for (const [s, l] of labels) {
        if (!l.includes(v)) continue;
        hits.push(s);
        if (hits.length > 1) break;
      }
      found = single(hits);
      if (hits.length > 1) setAmbiguous(countMatches(labels, v));
    }
    if (found !== undefined && found.id !== props.value) props.onChange(found.id);
  };

  return (
    <>
      <input
        type="search"
        list={listId}
        value={shown}
        placeholder={props.emptyLabel}
        title={shown === '' ? props.emptyLabel : shown}
        aria-label={props.ariaLabel}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          commit(e.target.value);
        }}
        onBlur={() => {
          setText(null);
          setAmbiguous(0);
        }}
      />
      {ambiguous > 0 && (
        <span className="hint" role="status" data-testid={props.testId === undefined ? undefined : `${props.testId}-matches`}>
          {ambiguous >= MAX_OPTIONS ? `${MAX_OPTIONS}+` : ambiguous} stores match: choose one
        </span>
      )}
      <datalist id={listId}>
        {matches.map((s) => (
          <option key={s.id} value={label(s)} />
        ))}
      </datalist>
    </>
  );
}

/** Matches counted up to the list's size: beyond that the number says nothing more. */
function countMatches(labels: Array<[StoreEntry, string]>, v: string): number {
  let n = 0;
  for (const [, l] of labels) if (l.includes(v) && ++n >= MAX_OPTIONS) break;
  return n;
}

function single<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

/**
 * Picks one store by typing its name or domain. A native <select> with thousands of options
 * costs the page a long task every time it is drawn; this offers only the first matches.
 */
import { useId, useMemo, useState } from 'react';
import { useStores, type StoreEntry } from '../state/stores';

const MAX_OPTIONS = 50;

const label = (s: StoreEntry): string => `${s.name} (${s.shopDomain})`;

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
  const listId = useId();
  const shown = text ?? (chosen === undefined ? '' : label(chosen));
  const matches = useMemo(() => {
    const q = shown.trim().toLowerCase();
    const out: StoreEntry[] = [];
    for (const s of directory) {
      if (out.length >= MAX_OPTIONS) break;
      if (q === '' || label(s).toLowerCase().includes(q)) out.push(s);
    }
    return out;
  }, [directory, shown]);

  const commit = (value: string): void => {
    const v = value.trim().toLowerCase();
    if (v === '') {
      setText(null);
      props.onChange(null);
      return;
    }
    // A full label, or a name or domain that only one store has.
    const exact = directory.find((s) => label(s).toLowerCase() === v) ?? single(directory.filter((s) => s.name.toLowerCase() === v || s.shopDomain === v));
    if (exact !== undefined) {
      setText(null);
      if (exact.id !== props.value) props.onChange(exact.id);
    }
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
        onBlur={() => setText(null)}
      />
      <datalist id={listId}>
        {matches.map((s) => (
          <option key={s.id} value={label(s)} />
        ))}
      </datalist>
    </>
  );
}

function single<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

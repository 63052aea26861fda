import type { SettingField } from '../../../src-shared/ipc/contract';

/** A text setting: its input, what is in use now and where that comes from, and any error. */
export function SettingInput(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  field?: SettingField;
  error?: string | null;
  type?: string;
  placeholder?: string;
}): React.JSX.Element {
  const f = props.field;
  return (
    <label className="setting">
      {props.label}
      {props.hint !== undefined && <span className="hint"> {props.hint}</span>}
      <input
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        data-testid={`setting-${props.id}`}
        aria-invalid={props.error !== undefined && props.error !== null}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {f !== undefined && f.effective !== null && (
        <span className="small muted" data-testid={`setting-${props.id}-effective`}>
          In use: <code>{f.effective}</code> ({SOURCE[f.source]})
        </span>
      )}
      {f?.note !== null && f?.note !== undefined && (
        <span className="small warning-text" data-testid={`setting-${props.id}-note`}>
          {f.note}
        </span>
      )}
      {props.error !== undefined && props.error !== null && (
        <span className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}

const SOURCE: Record<SettingField['source'], string> = {
  app: 'set here',
  env: 'environment variable',
  launch: 'set when the app was started',
  system: 'system setting',
  default: 'default',
};

/** '' means "back to the default". */
export const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());

/** What the last save of a section did, announced to screen readers; nothing before the first save. */
export function SavedNote(props: { text: string | null }): React.JSX.Element | null {
  if (props.text === null) return null;
  return (
    <p className="small" role="status">
      {props.text}
    </p>
  );
}

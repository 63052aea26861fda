/** The exact JSON a test will send, with property values the agent can change for one send. */
import { useEffect, useState } from 'react';
import { AppError } from '../../../src-shared/errors';
import { api } from '../../api';

type Values = Record<string, string | number | boolean>;

export function TestPreview(props: { storeId: string; eventKey: string; onSent: () => void }): React.JSX.Element {
  const [json, setJson] = useState<string | null>(null);
  const [original, setOriginal] = useState<Values>({});
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.tests.preview({ storeId: props.storeId, eventKey: props.eventKey }).then((p) => {
      if (!live) return;
      setJson(p.json);
      setOriginal(p.properties);
    });
    return () => {
      live = false;
    };
  }, [props.storeId, props.eventKey]);

  /** Keeps each value's type: numbers stay numbers, booleans stay booleans. */
  const typed = (): Values | string => {
    const out: Values = {};
    for (const [k, raw] of Object.entries(edits)) {
      const was = original[k];
      if (typeof was === 'number') {
        const n = Number(raw);
        if (raw.trim() === '' || Number.isNaN(n)) return `${k} must be a number.`;
        out[k] = n;
      } else if (typeof was === 'boolean') {
        if (raw !== 'true' && raw !== 'false') return `${k} must be true or false.`;
        out[k] = raw === 'true';
      } else if (typeof was === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(was)) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) || Number.isNaN(Date.parse(raw.trim()))) return `${k} must be a date like ${was}.`;
        out[k] = raw.trim();
      } else out[k] = raw;
    }
    return out;
  };

  const shown = (() => {
    if (json === null) return '';
    const t = typed();
    if (typeof t === 'string') return json;
    const body = JSON.parse(json) as { properties: Values };
    body.properties = { ...body.properties, ...t };
    return JSON.stringify(body, null, 2);
  })();

  return (
    <div className="preview" data-testid="payload-preview">
      {/* No inner scroll areas: the page is the one scroll; names wrap rather than being cut. */}
      <div className="preview-grid">
        <div className="props">
          <h4>Property values for this send</h4>
          {Object.entries(original).map(([k, v]) => (
            <label key={k} className="prop">
              <code>{k}</code>
              <input value={edits[k] ?? String(v)} onChange={(e) => setEdits({ ...edits, [k]: e.target.value })} data-testid={`prop-${k}`} />
            </label>
          ))}
        </div>
        <div>
          <h4>JSON sent to POST /api/v2/events</h4>
          <pre className="payload" data-testid="payload-json">{shown}</pre>
          <p className="muted small">external_id and occurred_at are set at the moment of sending.</p>
        </div>
      </div>
      {error !== null && (
        <p className="fail small" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="send-edited"
          onClick={() => {
            const t = typed();
            if (typeof t === 'string') return setError(t);
            setError(null);
            api.tests.send({ storeId: props.storeId, eventKey: props.eventKey, properties: t }).then(props.onSent, (err: unknown) =>
              setError(err instanceof AppError ? err.message : String(err)),
            );
          }}
        >
          Send with these values
        </button>
      </div>
    </div>
  );
}

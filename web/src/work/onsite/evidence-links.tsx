import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../components/async';
import { readDocument } from './transport';

/**
 * A result's evidence (issue J): the photos and documents the team sent, by their hash. Read with
 * the official's token (the hub serves them to the departments taking part and the team, never to
 * the public); other references (a paper file's number) are shown as they are.
 */
export function EvidenceLinks({ refs }: { refs: readonly string[] }) {
  const [opened, setOpened] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  if (refs.length === 0) return <span class="meta">—</span>;
  return (
    <span class="evidence" data-testid="evidence">
      {refs.map((ref, i) => {
        const hash = /^sha256:([0-9a-f]{64})$/.exec(ref)?.[1];
        if (!hash) return <span key={ref}>{ref} </span>;
        return opened[hash] ? (
          <a
            key={ref}
            href={opened[hash]}
            target="_blank"
            rel="noopener"
            data-testid="evidence-file"
            data-sha256={hash}
          >
            证据{i + 1}{' '}
          </a>
        ) : (
          <button
            key={ref}
            type="button"
            class="link"
            data-testid="evidence-open"
            data-sha256={hash}
            title={ref}
            onClick={() =>
              void readDocument(`/evidence/${hash}`).then(
                (blob) => setOpened((o) => ({ ...o, [hash]: URL.createObjectURL(blob) })),
                setError,
              )
            }
          >
            证据{i + 1}（{hash.slice(0, 8)}）
          </button>
        );
      })}
      {error ? <ErrorNotice error={error} title="未能读取证据" /> : null}
    </span>
  );
}

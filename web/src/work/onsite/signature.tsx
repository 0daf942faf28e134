import { useEffect, useRef, useState } from 'preact/hooks';
import SignaturePad from 'signature_pad';

/** A signature as drawn: its PNG bytes. */
export interface DrawnSignature {
  png: ArrayBuffer;
}

/**
 * A signature drawn on the phone's screen with a finger (or a mouse), kept as a PNG (issue J):
 * the business's person or a team member signs the joint record form. The canvas keeps the
 * screen's pixel density so the signature prints sharp; "重写" clears it.
 */
export function SignatureField({
  label,
  testId,
  onSigned,
}: {
  label: string;
  testId: string;
  onSigned: (signature: DrawnSignature | null) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);
  // The latest callback: the pad is made once, the page's state it reports to changes.
  const report = useRef(onSigned);
  report.current = onSigned;
  useEffect(() => {
    const element = canvas.current!;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')!.scale(ratio, ratio);
    const drawn = new SignaturePad(element, {
      penColor: '#0b1f44',
      minWidth: 1,
      maxWidth: 2.6,
      backgroundColor: 'rgba(255,255,255,0)',
    });
    drawn.addEventListener('endStroke', () => {
      setEmpty(drawn.isEmpty());
      void pngOf(element).then((png) => report.current(png ? { png } : null));
    });
    pad.current = drawn;
    return () => drawn.off();
  }, []);
  return (
    <div class="signature" data-testid={testId}>
      <span class="signature-label">{label}</span>
      <canvas ref={canvas} class="signature-pad" data-testid={`${testId}-pad`} aria-label={`${label}：在此处签名`} />
      <div class="row">
        <span class="meta">{empty ? '请在框内签名' : '已签名'}</span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            pad.current?.clear();
            setEmpty(true);
            report.current(null);
          }}
        >
          重写
        </button>
      </div>
    </div>
  );
}

/** The canvas as PNG bytes (null when it cannot be read). */
async function pngOf(canvas: HTMLCanvasElement): Promise<ArrayBuffer | null> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  return blob ? blob.arrayBuffer() : null;
}

import { Button, InputNumber, Space, Spin, Typography } from 'antd';
import { ZoomInOutlined, ZoomOutOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useT } from '../../i18n';
import { type Box, BOX_HEIGHT, BOX_WIDTH } from './box';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;


type Props = { url: string; value?: Box | null; onChange: (b: Box) => void };

/**
 * Renders one page of the PDF with pdf.js (pages, zoom); a click centres a box of the signature's size
 * on the clicked point, kept inside the page, and answers it in PDF coordinates.
 */
export function PdfPlacementPicker({ url, value, onChange }: Props) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<pdfjs.PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(value?.page ?? 1);
  const [scale, setScale] = useState(1);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);

  useEffect(() => {
    const task = pdfjs.getDocument({ url, withCredentials: true });
    task.promise.then(setDoc, (e: Error) => setError(e.message));
    return () => void task.destroy();
  }, [url]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let cancelled = false;
    let render: pdfjs.RenderTask | null = null;
    void doc.getPage(page).then((p) => {
      if (cancelled || !canvas.current) return;
      const viewport = p.getViewport({ scale });
      const el = canvas.current;
      el.width = Math.floor(viewport.width);
      el.height = Math.floor(viewport.height);
      setSize({ w: viewport.width / scale, h: viewport.height / scale });
      render = p.render({ canvas: el, viewport });
      render.promise.catch(() => undefined);
    });
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [doc, page, scale]);

  const click = (e: React.MouseEvent<HTMLDivElement>) => {
    if (!size) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const px = (e.clientX - rect.left) / scale;
    const py = size.h - (e.clientY - rect.top) / scale;
    const x = Math.min(Math.max(px - BOX_WIDTH / 2, 0), Math.max(size.w - BOX_WIDTH, 0));
    const y = Math.min(Math.max(py - BOX_HEIGHT / 2, 0), Math.max(size.h - BOX_HEIGHT, 0));
    onChange({ page, x: Math.round(x), y: Math.round(y), width: BOX_WIDTH, height: BOX_HEIGHT });
  };

  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  const box = value && value.page === page && size ? value : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('sig.sign.page')}</span>
        <InputNumber aria-label={t('sig.sign.page')} min={1} max={doc?.numPages ?? 1} value={page} onChange={(v) => v && setPage(v)} />
        <span>/ {doc?.numPages ?? '…'}</span>
        <Button aria-label={`${t('sig.sign.zoom')} -`} icon={<ZoomOutOutlined />} onClick={() => setScale((s) => Math.max(0.5, s - 0.25))} />
        <span>{Math.round(scale * 100)}%</span>
        <Button aria-label={`${t('sig.sign.zoom')} +`} icon={<ZoomInOutlined />} onClick={() => setScale((s) => Math.min(3, s + 0.25))} />
      </Space>
      <Typography.Text type="secondary">{t('sig.sign.pickHint')}</Typography.Text>
      <div style={{ overflow: 'auto', maxHeight: '60vh', border: '1px solid #d9d9d9', background: '#eee' }}>
        {!doc && <Spin />}
        <div data-testid="pdf-page" onClick={click} style={{ position: 'relative', display: 'inline-block', cursor: 'crosshair', lineHeight: 0 }}>
          <canvas ref={canvas} />
          {box && size && (
            <div data-testid="signature-box" style={{
              position: 'absolute', pointerEvents: 'none', border: '2px dashed #b71c1c', background: 'rgba(183,28,28,0.08)',
              left: box.x * scale, top: (size.h - box.y - box.height) * scale, width: box.width * scale, height: box.height * scale,
            }} />
          )}
        </div>
      </div>
      {value && <Typography.Text>{t('sig.sign.picked', { page: value.page, x: value.x, y: value.y })}</Typography.Text>}
    </Space>
  );
}

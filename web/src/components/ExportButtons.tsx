/**
 * The PNG and JSON export buttons of every graph toolbar: the picture of the graph as drawn,
 * and the data behind it (built only when asked for).
 */
import type { RefObject } from 'react';
import { download, downloadJson } from '../export';
import type { GraphHandle } from './GraphView';

export function ExportButtons({
  graphRef,
  base,
  data,
}: {
  graphRef: RefObject<GraphHandle | null>;
  /** file name stem of both exports */
  base: string;
  data(): unknown;
}) {
  return (
    <>
      <button
        type="button"
        onClick={() => {
          const png = graphRef.current?.png();
          if (png) download(`${base}.png`, png);
        }}
      >
        PNG
      </button>
      <button type="button" onClick={() => downloadJson(`${base}.json`, data())}>
        JSON
      </button>
    </>
  );
}

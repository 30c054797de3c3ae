import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core'
import { useEffect, useLayoutEffect, useReducer, useState } from 'preact/hooks'

/**
 * TanStack Virtual's core over a scrolling element: only the rows in view (and a few more) are
 * rendered, so a list of any length costs the same to draw.
 */
export function useVirtualRows(opts: {
  count: number
  scrollElement: () => HTMLElement | null
  rowHeightPx: number
  overscan?: number
}): Virtualizer<HTMLElement, Element> {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const options: VirtualizerOptions<HTMLElement, Element> = {
    count: opts.count,
    getScrollElement: opts.scrollElement,
    estimateSize: () => opts.rowHeightPx,
    overscan: opts.overscan ?? 8,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange: () => rerender(0),
  }
  const [virtualizer] = useState(() => new Virtualizer(options))
  virtualizer.setOptions(options)
  useEffect(() => virtualizer._didMount(), [])
  useLayoutEffect(() => virtualizer._willUpdate())
  return virtualizer
}

import {
  createTable,
  type RowData,
  type Table,
  type TableOptions,
  type TableOptionsResolved,
  type TableState,
} from '@tanstack/table-core'
import { useState } from 'preact/hooks'

/**
 * A small Preact adapter for TanStack Table's headless core (as its React adapter does): the table
 * object lives as long as the component, its state in Preact state unless the caller controls it.
 */
export function useTable<T extends RowData>(options: TableOptions<T>): Table<T> {
  const resolved: TableOptionsResolved<T> = {
    state: {},
    onStateChange: () => {},
    renderFallbackValue: null,
    ...options,
  }
  const [table] = useState(() => createTable<T>(resolved))
  const [state, setState] = useState<TableState>(() => table.initialState)
  table.setOptions((prev) => ({
    ...prev,
    ...options,
    state: { ...state, ...options.state },
    onStateChange: (updater) => {
      setState(updater)
      options.onStateChange?.(updater)
    },
  }))
  return table
}

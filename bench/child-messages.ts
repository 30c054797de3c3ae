import type { ChildProcess } from 'node:child_process'

type Message = { type: string }

/** The next IPC message of `type` from `child`; fails if it exits first or `timeoutMs` passes. */

export function nextMessage<M extends Message>(child: ChildProcess, type: M['type'], timeoutMs: number): Promise<M> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (message: M) => {
      if (message.type === type) finish(undefined, message)
    }
    const onExit = (code: number | null) => finish(new Error(`the child exited (code ${code}) before "${type}"`))
    function finish(err?: Error, message?: M) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (err) reject(err)
      else resolve(message!)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

import { setImmediate as tick } from 'node:timers/promises'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { type LeaseWorkerOptions, startLeaseWorker } from '../../src/db/lease-worker.js'

/** A clock the test moves by hand. */
function manualClock(startMs = Date.parse('2026-03-01T00:00:00Z')) {
  let now = startMs
  return { nowMs: () => now, advance: (ms: number) => (now += ms) }
}

interface Job {
  id: string
}

/**
 * A queue in memory that keeps leases as the database queues do: a job is due when it is not done
 * and holds no lease, or its lease has run out by the clock.
 */
function memoryQueue(clock: { nowMs(): number }, ids: string[]) {
  const rows = new Map(ids.map((id) => [id, { leasedBy: null as string | null, leaseUntilMs: 0, done: false }]))
  const claims: { workerId: string; ids: string[] }[] = []
  return {
    rows,
    claims,
    claim: async ({ workerId, limit, leaseUntil }: { workerId: string; limit: number; leaseUntil: Date }) => {
      const now = clock.nowMs()
      const due = [...rows.entries()]
        .filter(([, r]) => !r.done && (r.leasedBy === null || r.leaseUntilMs <= now))
        .slice(0, limit)
      for (const [, r] of due) {
        r.leasedBy = workerId
        r.leaseUntilMs = leaseUntil.getTime()
      }
      claims.push({ workerId, ids: due.map(([id]) => id) })
      return due.map(([id]) => ({ id }))
    },
    release: async (workerId: string, jobs: Job[]) => {
      for (const job of jobs) {
        const r = rows.get(job.id)!
        if (r.leasedBy === workerId) r.leasedBy = null
      }
    },
    finish: (id: string) => {
      rows.get(id)!.done = true
    },
  }
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** Lets the loop run until `condition` holds (event-loop turns, not time). */
async function until(condition: () => boolean, turns = 1000) {
  for (let i = 0; i < turns && !condition(); i++) await tick()
  expect(condition()).toBe(true)
}

const log = { error: vi.fn() }
const base = { clock: manualClock(), log, leaseMs: 30_000, pollMs: 3600_000 }

afterEach(() => {
  vi.useRealTimers()
  log.error.mockReset()
})

describe('startLeaseWorker', () => {
  test('claims up to its concurrency, claims again as slots free up, and processes every job once', async () => {
    const queue = memoryQueue(base.clock, ['j1', 'j2', 'j3', 'j4', 'j5'])
    const gates = new Map<string, ReturnType<typeof deferred>>()
    const processed: string[] = []
    let running = 0
    let mostAtOnce = 0
    const worker = await startLeaseWorker<Job>({
      ...base,
      concurrency: 2,
      claim: queue.claim,
      process: async (job) => {
        running++
        mostAtOnce = Math.max(mostAtOnce, running)
        const gate = deferred()
        gates.set(job.id, gate)
        await gate.promise
        queue.finish(job.id)
        processed.push(job.id)
        running--
      },
    })
    await until(() => gates.size === 2)
    expect(queue.claims[0]).toEqual({ workerId: worker.id, ids: ['j1', 'j2'] })
    gates.get('j1')!.resolve()
    await until(() => gates.has('j3'))
    for (const id of ['j2', 'j3']) gates.get(id)!.resolve()
    await until(() => gates.has('j4') && gates.has('j5'))
    for (const id of ['j4', 'j5']) gates.get(id)!.resolve()
    await until(() => processed.length === 5)
    expect(await worker.stop()).toBe(true)
    expect(processed.sort()).toEqual(['j1', 'j2', 'j3', 'j4', 'j5'])
    expect(mostAtOnce).toBe(2)
    expect(worker.id).toMatch(/^w_[0-9a-f]{12}$/)
  })

  test('a job whose worker stopped answering is claimed by another worker once its lease runs out, by the injected clock', async () => {
    const clock = manualClock()
    const queue = memoryQueue(clock, ['j1'])
    const stuck = deferred()
    const seenBy: string[] = []
    const opts: LeaseWorkerOptions<Job> = {
      ...base,
      clock,
      claim: queue.claim,
      process: async (_job, ctx) => {
        seenBy.push(ctx.workerId)
        if (seenBy.length === 1) await stuck.promise // the first worker hangs on it
      },
    }
    const a = await startLeaseWorker({ ...opts, idPrefix: 'wa' })
    await until(() => seenBy.length === 1)
    const b = await startLeaseWorker({ ...opts, idPrefix: 'wb' })
    await until(() => queue.claims.some((c) => c.workerId === b.id))
    expect(queue.claims.filter((c) => c.workerId === b.id).flatMap((c) => c.ids)).toEqual([])

    clock.advance(29_999)
    b.wake()
    await until(() => queue.claims.filter((c) => c.workerId === b.id).length === 2)
    expect(seenBy).toEqual([a.id])

    clock.advance(1)
    b.wake()
    await until(() => seenBy.length === 2)
    expect(seenBy).toEqual([a.id, b.id])
    expect(queue.rows.get('j1')!.leaseUntilMs).toBe(clock.nowMs() + 30_000)
    expect(await b.stop()).toBe(true)
    stuck.resolve()
    expect(await a.stop()).toBe(true)
  })

  test('stop aborts the jobs’ signal, waits for them, and claims nothing more', async () => {
    const queue = memoryQueue(base.clock, ['j1', 'j2'])
    let sawAbort = false
    const started: string[] = []
    const worker = await startLeaseWorker<Job>({
      ...base,
      claim: queue.claim,
      process: async (job, ctx) => {
        started.push(job.id)
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
        sawAbort = ctx.signal.aborted
        queue.finish(job.id)
      },
    })
    await until(() => started.length === 1)
    expect(await worker.stop()).toBe(true)
    expect(sawAbort).toBe(true)
    const claimsAtStop = queue.claims.length
    worker.wake()
    await tick()
    expect(queue.claims).toHaveLength(claimsAtStop)
    expect(started).toEqual(['j1'])
  })

  test('stop gives back, with release, the jobs still in hand when its grace runs out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const queue = memoryQueue(base.clock, ['j1'])
    const released: string[] = []
    const worker = await startLeaseWorker<Job>({
      ...base,
      claim: queue.claim,
      process: () => new Promise<void>(() => {}), // never ends
      release: async (workerId, jobs) => {
        released.push(...jobs.map((j) => j.id))
        await queue.release(workerId, jobs)
      },
    })
    await vi.waitFor(() => expect(queue.rows.get('j1')!.leasedBy).toBe(worker.id))
    const stopping = worker.stop(5000)
    await vi.advanceTimersByTimeAsync(4999)
    expect(released).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(await stopping).toBe(false)
    expect(released).toEqual(['j1'])
    expect(queue.rows.get('j1')!.leasedBy).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('an idle worker looks again after pollMs, doubling the sleep up to maxPollMs; a claimed job resets it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const queue = memoryQueue(base.clock, [])
    const worker = await startLeaseWorker<Job>({
      ...base,
      pollMs: 100,
      maxPollMs: 400,
      claim: queue.claim,
      process: async (job) => queue.finish(job.id),
    })
    const claimsAt = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms)
      return queue.claims.length
    }
    expect(await claimsAt(0)).toBe(1) // at start
    expect(await claimsAt(99)).toBe(1)
    expect(await claimsAt(1)).toBe(2) // after 100
    expect(await claimsAt(199)).toBe(2)
    expect(await claimsAt(1)).toBe(3) // after 200 more
    expect(await claimsAt(400)).toBe(4) // after 400 more
    expect(await claimsAt(400)).toBe(5) // no longer than maxPollMs
    queue.rows.set('j1', { leasedBy: null, leaseUntilMs: 0, done: false })
    expect(await claimsAt(400)).toBe(7) // claims j1, then looks again at once when it is done
    expect(queue.rows.get('j1')!.done).toBe(true)
    expect(await claimsAt(99)).toBe(7)
    expect(await claimsAt(1)).toBe(8) // back to pollMs
    await worker.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('a wake-up that comes while a claim is under way is not lost', async () => {
    const gate = deferred()
    let claims = 0
    const worker = await startLeaseWorker<Job>({
      ...base,
      claim: async () => {
        claims++
        if (claims === 1) await gate.promise
        return []
      },
      process: async () => {},
    })
    await until(() => claims === 1)
    worker.wake()
    gate.resolve()
    await until(() => claims === 2)
    await worker.stop()
  })

  test('extends the leases of the jobs in hand on the heartbeat, until the clock’s time plus leaseMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const clock = manualClock()
    const queue = memoryQueue(clock, ['j1'])
    const gate = deferred()
    const extended: { ids: string[]; untilMs: number }[] = []
    const worker = await startLeaseWorker<Job>({
      ...base,
      clock,
      claim: queue.claim,
      process: () => gate.promise,
      heartbeat: {
        everyMs: 10_000,
        extend: async (_workerId, jobs, leaseUntil) => {
          extended.push({ ids: jobs.map((j) => j.id), untilMs: leaseUntil.getTime() })
        },
      },
    })
    await vi.waitFor(() => expect(queue.claims).toHaveLength(1))
    clock.advance(10_000)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(extended).toEqual([{ ids: ['j1'], untilMs: clock.nowMs() + 30_000 }])
    gate.resolve()
    await vi.waitFor(() => expect(queue.claims.length).toBeGreaterThan(1))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(extended).toHaveLength(1) // nothing in hand: nothing to extend
    await worker.stop()
  })

  test('a job that throws is logged and the loop goes on', async () => {
    const queue = memoryQueue(base.clock, ['j1', 'j2'])
    const done: string[] = []
    const worker = await startLeaseWorker<Job>({
      ...base,
      claim: queue.claim,
      process: async (job) => {
        queue.finish(job.id)
        if (job.id === 'j1') throw new Error('boom')
        done.push(job.id)
      },
      logAs: { claimFailed: 'could not claim things', jobFailed: 'thing failed', jobIdKey: 'thing_id' },
    })
    await until(() => done.length === 1)
    await worker.stop()
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ thing_id: 'j1' }), 'thing failed')
  })
})

import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { newForm, newTeam, submission } from '../route-tables/leads.js'

describe('callbacks', () => {
  test('a response asking for a callback schedules it with a task for the team, due at the preferred time', async () => {
    const h = await testApp()
    const teamId = await newTeam(h)
    const formId = await newForm(h, h.org.key, { callback_enabled: true, team_ids: [teamId] })
    const res = await h.api(
      'POST',
      '/api/v1/form_responses',
      submission({ callback_requested: true, preferred_time: '2030-01-02T15:00:00Z' }, { form_id: formId }),
    )
    expect(res.statusCode).toBe(201)
    expect(res.json().callback_scheduled).toBe(true)
    const [callback] = (await h.api('GET', '/api/v1/callbacks')).json().data
    expect(callback).toMatchObject({
      object: 'callback',
      contact_id: res.json().lead_id,
      form_response_id: res.json().id,
      team_id: teamId,
      phone: '+1234567890',
      preferred_time: '2030-01-02T15:00:00.000Z',
      status: 'scheduled',
    })
    expect(callback.id).toMatch(/^cb_/)
    const task = (await h.api('GET', `/api/v1/tasks/${callback.task_id}`)).json()
    expect(task).toMatchObject({ title: 'Call back John Doe', due_at: '2030-01-02T15:00:00.000Z', status: 'open' })
    expect((await h.api('GET', `/api/v1/form_responses/${res.json().id}`)).json().callback_id).toBe(callback.id)
    const types = await h.eventTypes()
    expect(types.slice(-3)).toEqual(['form_response.created', 'task.created', 'callback.scheduled'])
    const events = (await h.api('GET', '/api/v1/events')).json().data
    expect(events.find((e: { event: string }) => e.event === 'callback.scheduled').data).toEqual({
      id: callback.id,
      contact_id: res.json().lead_id,
      preferred_time: '2030-01-02T15:00:00.000Z',
    })
  })

  test('completing a callback completes its task; a second completion is a 409', async () => {
    const h = await testApp()
    const formId = await newForm(h, h.org.key, { callback_enabled: true })
    await h.api('POST', '/api/v1/form_responses', submission({ callback_requested: true }, { form_id: formId }))
    const [callback] = (await h.api('GET', '/api/v1/callbacks')).json().data
    expect(callback.preferred_time).toBeNull()
    const done = await h.api('POST', `/api/v1/callbacks/${callback.id}/complete`)
    expect(done.statusCode).toBe(200)
    expect(done.json()).toMatchObject({ status: 'completed', completed_at: expect.any(String) })
    expect((await h.api('GET', `/api/v1/tasks/${callback.task_id}`)).json().status).toBe('completed')
    expect((await h.eventTypes()).slice(-2)).toEqual(['task.completed', 'callback.completed'])
    expect((await h.api('POST', `/api/v1/callbacks/${callback.id}/complete`)).statusCode).toBe(409)
    expect((await h.api('GET', '/api/v1/callbacks?status=scheduled')).json().data).toEqual([])
    expect((await h.api('GET', '/api/v1/callbacks?status=completed')).json().data).toHaveLength(1)
  })

  test('a callback needs a phone, and a form that offers callbacks', async () => {
    const h = await testApp()
    const noPhone = await h.api('POST', '/api/v1/form_responses', {
      form_response: { form_data: { email: `n${Math.random()}@example.com`, callback_requested: true } },
    })
    expect(noPhone.statusCode).toBe(422)
    // form_responses answers in the CallMeBack dialect: details map each path to its messages.
    expect(Object.keys(noPhone.json().details)).toEqual(['form_data.phone'])
    const formId = await newForm(h)
    const notOffered = await h.api(
      'POST',
      '/api/v1/form_responses',
      submission({ callback_requested: true }, { form_id: formId }),
    )
    expect(notOffered.statusCode).toBe(422)
    expect(Object.keys(notOffered.json().details)).toEqual(['form_data.callback_requested'])
    expect(await h.eventTypes()).toEqual([])
  })

  test('without a form, callback_requested schedules a callback with no team', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/form_responses', submission({ callback_requested: true }))
    expect(res.json().callback_scheduled).toBe(true)
    expect((await h.api('GET', '/api/v1/callbacks')).json().data[0].team_id).toBeNull()
  })
})

import { useState } from 'preact/hooks'
import { api, type List } from '../api.js'
import { useSession } from '../session.js'
import type { Invite, User } from '../types.js'
import { ConfirmButton, CopyButton, ErrorNote, Field, Loading, Page, Time, useLoad, useSubmit } from '../ui.js'
import { MyProfile, OrganizationName, RemoveMember, RoleSelect } from './workspace-b/team-forms.js'

const ROLES = {
  owner: 'Everything, including API keys, webhooks and members',
  admin: 'Everything, including API keys, webhooks and members',
  member: 'Contacts, deals and the rest of the data; no keys, webhooks, audit log or usage',
}

export function MembersPage() {
  const { session, isAdmin } = useSession()
  const users = useLoad(() => api<List<User>>('GET', '/api/v1/users?limit=100&sort=name'), [])
  const invites = useLoad(
    // Accepted, revoked and expired invites are history, not pending.
    () => (isAdmin ? api<List<Invite>>('GET', '/api/v1/invites?status=pending&limit=100') : Promise.resolve(undefined)),
    [isAdmin],
  )
  const org = session.organization
  const [notice, setNotice] = useState('')
  const changed = (message: string) => {
    setNotice(message)
    users.reload()
  }
  return (
    <Page title="Team" intro="The people of your organization, what their role lets them do, and your own account.">
      <dl class="stats">
        <div>
          <dt>Organization</dt>
          <dd>{org.name}</dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd>{org.plan}</dd>
        </div>
        <div>
          <dt>Organization id</dt>
          <dd>
            <code>{org.id}</code>
          </dd>
        </div>
      </dl>
      {isAdmin && <OrganizationName />}
      <MyProfile />
      {isAdmin && <InviteForm onInvited={invites.reload} />}
      <h2>People</h2>
      <p role="status" class="muted small">
        {notice}
      </p>
      <ErrorNote error={users.error} />
      {!users.data && !users.error && <Loading what="members" />}
      {users.data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                {isAdmin && (
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {users.data.data.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.name}
                    {u.id === session.user.id && <span class="muted small"> (you)</span>}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    {isAdmin && u.id !== session.user.id ? <RoleSelect user={u} onChanged={changed} /> : u.role}{' '}
                    <div class="muted small">{ROLES[u.role]}</div>
                  </td>
                  <td>
                    <Time iso={u.created_at} />
                  </td>
                  {isAdmin && (
                    <td>
                      {u.id !== session.user.id && (
                        <RemoveMember
                          user={u}
                          others={users.data!.data.filter((o) => o.id !== u.id)}
                          onRemoved={changed}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && (
        <>
          <h2>Pending invites</h2>
          <ErrorNote error={invites.error} />
          {invites.data?.data.length === 0 && <p class="muted">No pending invites.</p>}
          {invites.data && invites.data.data.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invites.data.data.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">{i.email}</th>
                      <td>{i.role}</td>
                      <td>
                        <Time iso={i.created_at} />
                      </td>
                      <td>
                        <Time iso={i.expires_at} />
                      </td>
                      <td>
                        <ConfirmButton
                          label={
                            <>
                              Revoke<span class="sr-only"> the invite for {i.email}</span>
                            </>
                          }
                          title={`Revoke the invite for ${i.email}?`}
                          body={<p>The invite link stops working at once.</p>}
                          confirmLabel="Revoke invite"
                          onConfirm={async () => {
                            await api('DELETE', `/api/v1/invites/${i.id}`)
                            invites.reload()
                          }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  )
}

function InviteForm(props: { onInvited: () => void }) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Invite['role']>('member')
  const [sent, setSent] = useState<Invite | null>(null)
  const submit = useSubmit(async () => {
    setSent(await api<Invite>('POST', '/api/v1/invites', { email, role }))
    setEmail('')
    props.onInvited()
  })
  return (
    <section class="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form onSubmit={submit.onSubmit} class="inline-form">
        <Field label="Email">
          {(id) => (
            <input id={id} type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Role">
          {(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Invite['role'])}>
              <option value="member">Member</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <button type="submit" disabled={submit.busy}>
          Create invite link
        </button>
      </form>
      <ErrorNote error={submit.error} />
      {sent?.accept_url && (
        <div class="note warn" role="status">
          <p>
            Send this link to <strong>{sent.email}</strong>. It works once, until <Time iso={sent.expires_at} />, and is
            shown only now.
          </p>
          <div class="secret-row">
            <input aria-label="Invite link" class="mono" readOnly value={sent.accept_url} />
            <CopyButton text={sent.accept_url} label="Copy link" />
          </div>
        </div>
      )}
    </section>
  )
}

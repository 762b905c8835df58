import { Trans } from '@lingui/react/macro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { DEFAULT_ATTACHMENT_LIMIT_BYTES } from '../../shared/protocol/report-kinds'
import { AppLink } from '../app/AppLink'
import { loadEngine } from '../app/engine'
import { pathOf } from '../app/route'
import type { DraftSummary, LockState, OutboxRow, StorageDurability } from '../engine'
import { onQuickExit } from '../safety/quick-exit'
import { useCommunity } from '../support/use-community'
import { Acknowledgement, type SupportNeeds } from './Acknowledgement'
import { AttachEvidence } from './AttachEvidence'
import { CommunityCard } from './CommunityCard'
import { ComposeForm } from './ComposeForm'
import { CrisisPanel } from './CrisisPanel'
import { MyReports } from './MyReports'
import { canSend, EMPTY_FORM, isBlank, MIN_PIN_LENGTH, type ReportForm } from './report-form'
import { suggestLanguage } from './suggest-language'
import { sentName, useEvidence } from './use-evidence'

const AUTOSAVE_MS = 3_000

interface Sent {
  readonly id: string
  readonly danger: boolean
  readonly followUp: {
    readonly passphrase: string
    readonly positions: readonly [number, number]
    readonly check: (answers: readonly { position: number; word: string }[]) => boolean
  } | null
  readonly confirmed: boolean
  /** What the referrals are matched on; kept on this device only, like the form it came from. */
  readonly needs: SupportNeeds
}

type Blocked = 'empty' | 'not-trusted' | 'failed' | 'evidence-not-kept' | 'evidence-cleaning' | null

/** The complainant's screen for one community: write, seal, send, and see what became of it. */
export function ComplainantScreen({
  community,
  linked,
}: {
  readonly community: string
  readonly linked: boolean
}) {
  const { trust, manifest, country, chooseCountry } = useCommunity()
  // The country starts as the one chosen last on this device, or stated by the browser.
  const [form, setForm] = useState<ReportForm>(() => ({ ...EMPTY_FORM, country }))
  const [draftId, setDraftId] = useState<string | null>(null)
  const [noTrace, setNoTrace] = useState(false)
  const [busy, setBusy] = useState(false)
  const [blocked, setBlocked] = useState<Blocked>(null)
  const [saved, setSaved] = useState<'idle' | 'saved' | 'failed'>('idle')
  const [sent, setSent] = useState<Sent | null>(null)
  const [reports, setReports] = useState<readonly OutboxRow[]>([])
  const [drafts, setDrafts] = useState<readonly DraftSummary[]>([])
  const [lock, setLock] = useState<LockState>('none')
  const [durability, setDurability] = useState<StorageDurability>('unknown')
  const dirty = useRef(false)
  /** Once the person sets the language themselves, no guess replaces it. */
  const languageChosen = useRef(false)
  const textArea = useRef<HTMLDivElement>(null)
  const evidence = useEvidence(manifest?.attachmentLimitBytes ?? DEFAULT_ATTACHMENT_LIMIT_BYTES)

  const refresh = useCallback(async () => {
    const engine = await loadEngine()
    setReports(await engine.listReports(community))
    setDrafts(await engine.drafts.list(community))
    setLock(await engine.draftPin.state())
  }, [community])

  // Dexie and tweetnacl arrive after the first paint; the form works before they do.
  useEffect(() => {
    let unwatch = () => {}
    const start = window.setTimeout(() => {
      void loadEngine().then((engine) => {
        engine.startOutbox()
        unwatch = engine.watchReports(() => void refresh())
        void refresh()
        setDraftId((id) => id ?? engine.drafts.newId())
      })
    }, 0)
    return () => {
      window.clearTimeout(start)
      unwatch()
    }
  }, [refresh])

  useEffect(
    () =>
      onQuickExit(() => {
        setForm(EMPTY_FORM)
        setSent(null)
      }),
    [],
  )

  // Autosave: sealed at rest every few seconds while something changed; never in no-trace mode.
  useEffect(() => {
    if (noTrace) return
    const timer = window.setInterval(() => {
      if (!dirty.current || draftId === null || isBlank(form)) return
      dirty.current = false
      void loadEngine()
        .then((engine) => engine.drafts.save(draftId, community, form))
        .then(
          () => {
            setSaved('saved')
            void refresh()
          },
          () => setSaved('failed'),
        )
    }, AUTOSAVE_MS)
    return () => window.clearInterval(timer)
  }, [form, draftId, noTrace, community, refresh])

  // Guess the language from the text a moment after typing pauses; the person's choice always wins.
  useEffect(() => {
    if (languageChosen.current) return
    const timer = window.setTimeout(() => {
      void suggestLanguage(form.text).then((code) => {
        if (code && !languageChosen.current) setForm((current) => ({ ...current, language: code }))
      })
    }, 800)
    return () => window.clearTimeout(timer)
  }, [form.text])

  // While the passphrase is not yet kept, leaving the page asks first.
  const mustConfirm = sent?.followUp != null && !sent.confirmed
  useEffect(() => {
    if (!mustConfirm) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [mustConfirm])

  const change = (next: ReportForm) => {
    if (next.language !== form.language) languageChosen.current = true
    // Remembered for the crisis path, unless the person asked for no trace on this device.
    if (next.country !== form.country) chooseCountry(next.country, { remember: !noTrace })
    dirty.current = true
    setBlocked(null)
    setForm(next)
    void loadEngine()
  }

  const changeNoTrace = (on: boolean) => {
    setNoTrace(on)
    if (on && draftId !== null) {
      // Turning it on removes what was already saved of this report.
      void loadEngine().then(async (engine) => {
        await engine.drafts.delete(draftId)
        await refresh()
      })
    }
  }

  const submit = async () => {
    if (!canSend(form)) {
      setBlocked('empty')
      textArea.current?.querySelector('textarea')?.focus()
      return
    }
    if (trust.state !== 'trusted') {
      setBlocked('not-trusted')
      return
    }
    if (evidence.items.some((item) => item.state === 'cleaning')) {
      setBlocked('evidence-cleaning')
      return
    }
    setBusy(true)
    try {
      const engine = await loadEngine()
      const id = draftId ?? engine.drafts.newId()
      const prepared = form.followUp ? await engine.prepareFollowUp(community) : null
      const files = evidence.items.flatMap((item) =>
        item.state === 'ready' && item.cleaned
          ? [
              {
                bytes: item.cleaned.bytes,
                type: item.cleaned.type,
                name: sentName(item),
                cleaning: item.cleaned.cleaning,
                removed: item.cleaned.removed,
              },
            ]
          : [],
      )
      const reportId = await engine.sendReport(
        form,
        trust.manifest,
        prepared?.followUp ?? null,
        { noTrace, draftId: id },
        files,
      )
      if (!noTrace) void engine.requestPersistence().then(setDurability)
      setSent({
        id: reportId,
        danger: form.danger === true,
        followUp: prepared
          ? {
              passphrase: prepared.passphrase,
              positions: engine.confirmationChallenge(prepared.passphrase),
              check: (answers) => engine.checkConfirmation(prepared.passphrase, answers),
            }
          : null,
        confirmed: false,
        needs: { country: form.country, language: form.language, harms: form.harms },
      })
      dirty.current = false
      setForm({ ...EMPTY_FORM, country: form.country })
      languageChosen.current = false
      setDraftId(engine.drafts.newId())
      setSaved('idle')
      evidence.clear()
      window.scrollTo({ top: 0 })
    } catch (error) {
      setBlocked(error instanceof Error && error.name === 'EvidenceNotKept' ? 'evidence-not-kept' : 'failed')
    } finally {
      setBusy(false)
    }
  }

  const resume = async (id: string) => {
    const engine = await loadEngine()
    const draft = await engine.drafts.load(id)
    if (!draft) return
    setForm(draft)
    languageChosen.current = draft.language !== ''
    setDraftId(id)
    dirty.current = false
    textArea.current?.querySelector('textarea')?.focus()
  }

  const remove = async (id: string) => {
    const engine = await loadEngine()
    await engine.drafts.delete(id)
    if (id === draftId) setDraftId(engine.drafts.newId())
    await refresh()
  }

  if (sent) {
    const row = reports.find((r) => r.id === sent.id)
    return (
      <div className="screen">
        <Acknowledgement
          row={row}
          danger={sent.danger}
          contact={manifest?.contact}
          followUp={sent.followUp}
          confirmed={sent.confirmed}
          onConfirmed={() => setSent({ ...sent, confirmed: true })}
          onDone={() => setSent(null)}
          followUpHref={pathOf(linked ? community : null, 'follow-up')}
          supportHref={pathOf(linked ? community : null, 'support')}
          needs={sent.needs}
          onCountryChange={(next) => {
            chooseCountry(next, { remember: !noTrace })
            setSent({ ...sent, needs: { ...sent.needs, country: next } })
          }}
        />
        {durability === 'best-effort' && row?.state !== 'stored' && <DurabilityNote />}
      </div>
    )
  }

  return (
    <div className="screen">
      {form.danger === true && (
        <CrisisPanel
          contact={manifest?.contact}
          country={form.country}
          onCountryChange={(next) => change({ ...form, country: next })}
          harms={form.harms}
        />
      )}
      <CommunityCard community={community} trust={trust} />
      <div ref={textArea}>
        <ComposeForm
          form={form}
          onChange={change}
          onSubmit={() => void submit()}
          noTrace={noTrace}
          onNoTraceChange={changeNoTrace}
          busy={busy}
          languageSuggested={!languageChosen.current}
          evidence={
            <AttachEvidence
              items={evidence.items}
              refusal={evidence.refusal}
              limitBytes={manifest?.attachmentLimitBytes ?? DEFAULT_ATTACHMENT_LIMIT_BYTES}
              onAdd={(files) => void evidence.add(files)}
              onRemove={evidence.remove}
              onKeepName={evidence.keepName}
            />
          }
          blocked={blocked && <BlockedText reason={blocked} trust={trust.state} />}
          draftStatus={
            noTrace ? (
              <Trans>Nothing is being saved on this device.</Trans>
            ) : saved === 'saved' ? (
              <Trans>Draft saved on this device, encrypted.</Trans>
            ) : saved === 'failed' ? (
              <span role="alert">
                <Trans>
                  This device could not save your draft (it may be out of space). Keep this page open.
                </Trans>
              </span>
            ) : null
          }
        />
      </div>
      <MyReports
        reports={reports}
        drafts={drafts}
        onResume={(id) => void resume(id)}
        onDelete={(id) => void remove(id)}
        onCheckHeld={async (id) => (await loadEngine()).checkStillHeld(id)}
        lock={{
          state: lock,
          minLength: MIN_PIN_LENGTH,
          onSet: async (pin) => {
            await (await loadEngine()).draftPin.set(pin)
            await refresh()
          },
          onUnlock: async (pin) => {
            const ok = await (await loadEngine()).draftPin.unlock(pin)
            await refresh()
            return ok
          },
          onRemove: async () => {
            await (await loadEngine()).draftPin.remove()
            await refresh()
          },
        }}
      />
      <p className="screen__aside">
        <Trans>Already sent a report and kept a passphrase?</Trans>{' '}
        <AppLink className="link" href={pathOf(linked ? community : null, 'follow-up')}>
          <Trans>Read replies</Trans>
        </AppLink>
      </p>
      <p className="screen__aside">
        <Trans>Can reports here be quietly dropped?</Trans>{' '}
        <AppLink className="link" href={pathOf(linked ? community : null, 'transparency')}>
          <Trans>See the public record</Trans>
        </AppLink>
      </p>
    </div>
  )
}

function BlockedText({ reason, trust }: { readonly reason: Exclude<Blocked, null>; readonly trust: string }) {
  if (reason === 'empty')
    return (
      <span className="field__error" role="alert">
        <Trans>Write a few words about what happened first. Everything else can stay empty.</Trans>
      </span>
    )
  if (reason === 'evidence-cleaning')
    return (
      <span className="field__error" role="alert">
        <Trans>Heard is still removing hidden details from your files. Send again in a moment.</Trans>
      </span>
    )
  if (reason === 'evidence-not-kept')
    return (
      <span className="field__error" role="alert">
        <Trans>
          This device has no room to keep your files until they are sent. Nothing was sent. Remove a file or
          free some space, then send again; your words are still here.
        </Trans>
      </span>
    )
  if (reason === 'failed')
    return (
      <span className="field__error" role="alert">
        <Trans>
          Heard could not seal your report on this device. Your words are still here; please try again.
        </Trans>
      </span>
    )
  return (
    <span className="field__error" role="alert">
      {trust === 'loading' ? (
        <Trans>Still checking who receives reports for this community. Try again in a moment.</Trans>
      ) : (
        <Trans>
          Heard cannot send this report now; the box above says why. Your words stay on this device.
        </Trans>
      )}
    </span>
  )
}

function DurabilityNote() {
  return (
    <p className="notice" role="status">
      <Trans>
        This browser did not promise to keep Heard's data when space runs low. Your report is queued, but keep
        Heard open until it shows “Sent”.
      </Trans>
    </p>
  )
}

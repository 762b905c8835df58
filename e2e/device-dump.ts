import type { Page } from 'playwright-core'

/**
 * Node only (test harness). Everything a page's origin keeps on the device, read back through the
 * browser's own APIs: every IndexedDB database, store and record (byte arrays as base64 and as
 * text), every Cache Storage entry's body, and localStorage/sessionStorage. Tests search it for a
 * canary; `plantCanaryProbe` proves the dump would find one.
 */
export function dumpDevice(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = []
    const bytesText = (bytes: Uint8Array) => {
      let binary = ''
      for (const b of bytes) binary += String.fromCharCode(b)
      return `${btoa(binary)} ${new TextDecoder('utf-8', { fatal: false }).decode(bytes)}`
    }
    const show = async (value: unknown): Promise<string> => {
      if (value instanceof Uint8Array) return bytesText(value)
      if (value instanceof ArrayBuffer) return bytesText(new Uint8Array(value))
      if (value instanceof Blob) return bytesText(new Uint8Array(await value.arrayBuffer()))
      if (value instanceof CryptoKey) return `[CryptoKey ${value.type}]`
      if (Array.isArray(value)) return (await Promise.all(value.map(show))).join(' ')
      if (value && typeof value === 'object') {
        const entries = await Promise.all(
          Object.entries(value).map(async ([k, v]) => `${k}=${await show(v)}`),
        )
        return `{${entries.join(' ')}}`
      }
      return String(value)
    }
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name as string)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll()
          request.onsuccess = () => resolve(request.result)
          request.onerror = () => reject(request.error)
        })
        parts.push(`idb ${info.name}/${store}: ${await show(values)}`)
      }
      db.close()
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name)
      for (const request of await cache.keys()) {
        const response = await cache.match(request)
        parts.push(
          `cache ${name} ${request.url}: ${response ? bytesText(new Uint8Array(await response.arrayBuffer())) : ''}`,
        )
      }
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i) ?? ''
        parts.push(`storage ${key}=${storage.getItem(key)}`)
      }
    }
    return parts.join('\n')
  })
}

/** Write a canary in plain text into a throwaway IndexedDB database, so a test can show the dump sees it. */
export function plantCanaryProbe(page: Page, canary: string): Promise<void> {
  return page.evaluate(
    (text) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('heard-test-probe')
        request.onupgradeneeded = () => request.result.createObjectStore('probe')
        request.onsuccess = () => {
          const tx = request.result.transaction('probe', 'readwrite')
          tx.objectStore('probe').put({ bytes: new TextEncoder().encode(text) }, 'canary')
          tx.oncomplete = () => {
            request.result.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
        request.onerror = () => reject(request.error)
      }),
    canary,
  )
}

export function dropCanaryProbe(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('heard-test-probe')
        request.onsuccess = () => resolve()
        request.onerror = () => reject(request.error)
      }),
  )
}

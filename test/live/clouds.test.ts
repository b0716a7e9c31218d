import { describe, expect, it } from 'vitest'
import { InvalidInputError } from '../../core/errors/errors.ts'
import { CLOUDS, type CloudName, resolveEndpoints } from '../../core/m365/clouds.ts'
import { AZURE_SETTING_NAMES } from '../../core/m365/setting-names.ts'

function invalid(run: () => unknown): InvalidInputError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return error as InvalidInputError
  }
  throw new Error('expected an InvalidInputError')
}

describe('clouds', () => {
  it('every built-in endpoint is an https root without a trailing slash', () => {
    for (const endpoints of Object.values(CLOUDS)) {
      for (const url of Object.values(endpoints)) {
        expect(url).toMatch(/^https:\/\/[a-z0-9.-]+$/)
      }
    }
  })

  it('resolves a cloud without overrides to its built-in endpoints', () => {
    expect(resolveEndpoints('usgov')).toEqual(CLOUDS.usgov)
    expect(resolveEndpoints('global', {})).toEqual(CLOUDS.global)
  })

  it('applies overrides one by one, trimming whitespace and trailing slashes', () => {
    const endpoints = resolveEndpoints('global', {
      graph: ' https://localhost:8443/// ',
      exchange: 'https://proxy.example/exo/',
    })
    expect(endpoints).toEqual({
      authority: 'https://login.microsoftonline.com',
      graph: 'https://localhost:8443',
      exchange: 'https://proxy.example/exo',
    })
  })

  it('refuses an override that is set but empty, naming the setting', () => {
    const error = invalid(() => resolveEndpoints('china', { graph: '', authority: '   ' }))
    expect(error.code).toBe('INVALID_SETTING')
    expect(error.field).toBe('AZURE_AUTHORITY_HOST')
    expect(error.message).toMatch(/is set but empty/)
  })

  it('rejects a plain-http endpoint, naming the setting', () => {
    const error = invalid(() => resolveEndpoints('global', { graph: 'http://graph.microsoft.com' }))
    expect(error.code).toBe('INVALID_SETTING')
    expect(error.field).toBe('GRAPH_ENDPOINT')
    expect(error.message).toMatch(/^GRAPH_ENDPOINT must be an https:\/\/ URL/)
  })

  it('rejects a value that is not a URL, naming the setting', () => {
    const error = invalid(() =>
      resolveEndpoints('global', { authority: 'login.microsoftonline.us' })
    )
    expect(error.message).toMatch(/^AZURE_AUTHORITY_HOST must be an https:\/\/ URL/)
  })

  it('rejects credentials, queries and fragments in an endpoint', () => {
    const withUser = invalid(() =>
      resolveEndpoints('global', { exchange: 'https://user:hunter2@outlook.office365.com' })
    )
    expect(withUser.message).toBe('EXCHANGE_ENDPOINT must not contain a user name or password')
    expect(withUser.message).not.toContain('hunter2')
    expect(
      invalid(() => resolveEndpoints('global', { graph: 'https://graph.microsoft.com/?a=1' }))
        .message
    ).toMatch(/without \?query/)
  })

  it('lets the caller name the settings after its own flags', () => {
    const error = invalid(() =>
      resolveEndpoints(
        'global',
        { graph: 'ftp://x' },
        {
          ...AZURE_SETTING_NAMES,
          authority: '--authority',
          graph: '--graph-endpoint',
          exchange: '--exchange-endpoint',
        }
      )
    )
    expect(error.message).toMatch(/^--graph-endpoint must be an https:\/\/ URL/)
  })

  it('rejects an unknown cloud name', () => {
    const error = invalid(() => resolveEndpoints('germany' as CloudName))
    expect(error.message).toBe('cloud must be one of global, usgov, usgovdod, china, not "germany"')
  })
})

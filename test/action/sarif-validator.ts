/**
 * @module test/action/sarif-validator
 * A SARIF 2.1.0 validator from the OASIS schema in `../shared/schemas/` (through
 * test/shared-schemas.ts, which registers one skipped test naming the file when it is absent).
 */
import Ajv, { type ValidateFunction } from 'ajv'
import { it } from 'vitest'
import { withSharedSchema } from '../shared-schemas.ts'

/** `it(title, test)` with a validator for SARIF 2.1.0 logs. */
export function sarifSchemaTest(
  title: string,
  test: (validate: ValidateFunction) => void | Promise<void>,
  timeout?: number
): void {
  withSharedSchema('sarif-schema-2.1.0.json', title, (schema) => {
    const validate = compileSarifSchema(schema)
    it(title, () => test(validate), timeout)
  })
}

/** Compile the OASIS schema as GitHub reads SARIF; the one place that adapts it. */
export function compileSarifSchema(schema: Record<string, unknown>): ValidateFunction {
  // The OASIS schema predates the standard's rename of `suppression.state` to `status`
  // (oasis-tcs/sarif-spec#371); GitHub and the standard use `status`, so accept it.
  const definitions = schema.definitions as Record<string, { properties: object }>
  definitions.suppression!.properties = {
    ...definitions.suppression!.properties,
    status: { enum: ['accepted', 'underReview', 'rejected'] },
  }
  // Draft-07 with formats that need ajv-formats (not installed); the `language` pattern has a
  // stray `]` that is only legal without the `u` flag.
  return new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    unicodeRegExp: false,
  }).compile(schema)
}

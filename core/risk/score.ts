/**
 * @module risk/score
 * Score and level from factors; the seed's bands: 80–100 critical, 60–79 high,
 * 30–59 medium, 0–29 low.
 */
import type { RiskFactor, RiskLevel } from '../model/findings.ts'
import { RISK_LEVELS } from '../model/findings.ts'

/** Sum of the factors' scores, clamped to 0–100. */
export function riskScore(factors: RiskFactor[]): number {
  const total = factors.reduce((sum, factor) => sum + factor.score, 0)
  return Math.max(0, Math.min(100, total))
}

/** The level a score falls in. */
export function riskLevel(score: number): RiskLevel {
  if (score >= 80) return 'critical'
  if (score >= 60) return 'high'
  if (score >= 30) return 'medium'
  return 'low'
}

/** True when `level` is at or above `threshold`. */
export function atLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(threshold)
}

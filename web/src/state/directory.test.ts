import { describe, expect, it } from 'vitest'
import { filterOfficers } from './directory.js'
import { officer } from './fixtures.js'

const directory = [
  officer('ravi', { displayName: 'Ravi Kumar', title: 'Under Secretary', department: 'Finance' }),
  officer('asha', { displayName: 'Asha Rao', title: 'Deputy Collector', department: 'Revenue' }),
  officer('anil', { displayName: 'Anil Rao', title: 'Clerk', department: 'Finance' })
]

describe('filterOfficers', () => {
  it('lists everyone by name for an empty query', () => {
    expect(filterOfficers(directory, '').map(o => o.handle)).toEqual(['anil', 'asha', 'ravi'])
  })

  it('needs every word to match name, handle, title or department, ignoring case', () => {
    expect(filterOfficers(directory, 'rao finance').map(o => o.handle)).toEqual(['anil'])
    expect(filterOfficers(directory, 'COLLECTOR').map(o => o.handle)).toEqual(['asha'])
  })

  it('leaves out excluded handles (oneself, current members)', () => {
    expect(filterOfficers(directory, 'rao', new Set(['asha'])).map(o => o.handle)).toEqual(['anil'])
  })
})

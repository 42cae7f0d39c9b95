// Entry point: connects the UI to this browser's platform. Everything
// platform-specific comes from platform.ts so the UI can be mounted with
// other implementations (tests, a future worker-backed messenger).
import { mountApp } from './app.js'
import { callsOf, enrol, openMessenger, pinLock, watchWipeWhileLocked, wipedNotice } from './platform.js'
import './styles.css'

const root = document.getElementById('app')
if (root === null) throw new Error('index.html has no #app element')
mountApp(root, { openMessenger, enrol, calls: callsOf, wipedNotice, pinLock, watchWipeWhileLocked })

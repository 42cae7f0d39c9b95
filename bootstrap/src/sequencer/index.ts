export { CommitSequencer, MAX_COMMITS_PER_PAGE, MAX_GROUP_ID_BYTES, type SequencedCommit, type Submission, type SubmitOutcome } from './commit-sequencer.js'

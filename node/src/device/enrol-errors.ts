import { DakError } from '@dak/protocol'

/**
 * Enrolment over plain http:// to anything but this machine: on the way the
 * invite's secret can be read and the node's answer swapped. Refused before a
 * byte is sent; loopback stays allowed for development (`npm start`).
 */
export class InsecureEnrolmentError extends DakError { override name = 'InsecureEnrolmentError' }

import { addIssueFields, type Placement } from '../../core/signing/index.js';

/**
 * Names and permissions of the signature fields of an outgoing document: the leader's certification
 * signature (DocMDP P=2: filling in form fields and signing prepared signature fields stay permitted),
 * the number and date of issue the clerk fills in later, and the agency seal's signature field.
 */

export const LEADER_FIELD = 'ChuKyLanhDao';
export const SEAL_FIELD = 'DauCoQuan';
export const LEADER_CERTIFY = 2 as const;

/**
 * The PDF the leader signs: the approved draft plus, in one incremental update, the empty number and date
 * fields (template placeholders, else beside "Số:" and the date line) and the seal's signature field over
 * the left third of where the leader signs. They must exist before the certification signature: adding
 * fields afterwards is not a permitted change, filling them in is.
 */
export async function issueFieldsFor(pdf: Uint8Array, leader: Placement, sealDiameterMm?: number): Promise<Uint8Array> {
  if (!('page' in leader) && !('placeholder' in leader)) return addIssueFields(pdf);
  return addIssueFields(pdf, { seal: { fieldName: SEAL_FIELD, placement: leader, sealDiameterMm } });
}

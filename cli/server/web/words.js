// The library's codes in words, in bokmål: task kinds, parties, case steps and statuses,
// the evidence for a candidate case. The codes are stable; only these words are shown.

export const KIND_LABELS = {
  missing_documentation: 'Mangler dokumentasjon',
  manual_journaling: 'Manuell journalføring',
  handover: 'Overføring',
  notice: 'Melding om endring',
  decide_as_it_stands: 'Avgjør saken slik den står',
  ready_for_decision: 'Klar til avgjørelse',
};

export const PARTIES = { citizen: 'innbygger', employer: 'arbeidsgiver', doctor: 'lege' };

// What a task is about, in words: the library's reasons are for logs, not for the desk.
export function taskText(task) {
  const title = task.document_title || task.document_type;
  switch (task.kind) {
    case 'missing_documentation':
      return `Venter på ${title}${task.awaited_from ? ` fra ${PARTIES[task.awaited_from] || task.awaited_from}` : ''}`;
    case 'manual_journaling':
      return 'Dokumentet må knyttes til riktig sak';
    case 'notice':
      return `Nytt dokument som kan angå saken: ${title}`;
    case 'ready_for_decision':
      return 'Alle dokumentene er kommet: saken kan avgjøres';
    case 'decide_as_it_stands':
      return 'Svarfristen er ute: avgjør saken slik den står';
    case 'handover':
      return `Overført (${task.category}): ${task.reason}`;
    default:
      return task.reason;
  }
}

export const STEPS = {
  registered: 'Registrert', cover_sheet_issued: 'Forside laget', cover_sheet_received: 'Forside mottatt',
  document_journaled: 'Dokument journalført', document_linked: 'Dokument knyttet til saken',
  document_linked_also: 'Dokument knyttet også til saken', notice_raised: 'Melding om endring',
  letter_written: 'Brev skrevet', escalated: 'Frist ute', status: 'Status sett',
  task_opened: 'Oppgave opprettet', task_moved: 'Oppgave flyttet', task_taken: 'Oppgave tatt',
  task_released: 'Oppgave lagt tilbake', task_finished: 'Oppgave fullført', task_closed: 'Oppgave lukket',
  transferred: 'Overført', returned: 'Sendt tilbake', access_granted: 'Tilgang gitt',
  access_revoked: 'Tilgang trukket', closed: 'Avsluttet',
};
export const STATUSES = {
  awaiting_documentation: 'Venter på dokumentasjon', ready_for_decision: 'Klar til avgjørelse',
  closed: 'Avsluttet', open: 'Åpen',
};

// What speaks for a candidate case in manual journaling (CaseCandidate::evidence).
export const EVIDENCE = {
  cover_sheet: 'Forsiden peker på saken',
  case_number: 'Saksnummeret står i teksten',
  person: 'Samme person som i teksten',
  person_typed: 'Personen du slo opp',
  awaits_type: 'Saken venter på denne dokumenttypen',
  type_fits_area: 'Dokumenttypen hører til ytelsen',
};

export function ageInDays(iso) {
  const days = Math.floor((Date.now() - Date.parse(iso)) / 86400000);
  return days <= 0 ? 'i dag' : days === 1 ? '1 dag' : `${days} dager`;
}

// Texts of the page in English and Simplified Chinese; enum labels come from the API's vocabulary.
const KEY = 'dealgraph.lang';
let vocabulary = {};

const TEXTS = {
  en: {
    title: 'dealgraph — decision chains', pipeline: 'Pipeline', signIn: 'Sign in', signOut: 'Sign out', signedInAs: 'Signed in as {name}',
    tokenLabel: 'API token', tokenHelp: 'Paste the token your administrator gave you.',
    tokenWrong: 'This token was not accepted.', language: 'Language', loading: 'Loading…',
    tryAgain: 'Try again',
    stillLoading: 'Still waiting for the server… A slow answer usually means the store is busy or unavailable; you will be told if it does not answer.',
    stillSaving: 'Still saving… A slow answer usually means the store is busy or unavailable; you will be told if it does not answer.',
    opportunity: 'Opportunity', customer: 'Customer', grade: 'Grade', amount: 'Amount', likelihood: 'Win likelihood',
    redFlags: 'Red flags', noDeals: 'No opportunities you may see.', deals: '{n} deals', deal: '{n} deal',
    weighted: 'Weighted', expectedClose: 'Expected close', stageSums: 'Amount {amount} · weighted by win likelihood {weighted}',
    stageAmount: 'Amount {amount}', pipelineSums: '{deals} open · amount {amount} · weighted by win likelihood {weighted}',
    people: 'People in the decision chain', search: 'Search by name', map: 'Decision-chain map',
    status: 'Status', statusWhyLabel: 'Why this status', moreReasons: '{n} more reasons', moreReasonsShort: ' (+{n} more reasons)',
    exportPng: 'Export PNG', exportSvg: 'Export SVG', dealSheet: 'Deal sheet (print)', relayout: 'Tidy layout', wholeChain: 'Whole chain',
    drawInfluence: 'Draw influence arrow', drawInfluenceHelp: 'Click the person who influences, then the person influenced.',
    addPerson: 'Add person', legend: 'Legend', ourTeam: 'Our team', questions: 'The four questions',
    isReal: 'Is it real?', canCompete: 'Can we compete?', canWin: 'Can we win?', worthIt: 'Is it worth it?',
    suggestions: 'Top suggestions', accept: 'Accept into work plan', accepted: 'Added to the work plan.', acceptAsOpen: 'Another owner or date…', acceptAs: 'Accept with this owner and date', planChangeOpen: 'Change…', planChangeTitle: 'Change the step', planChangeSave: 'Save the change', planDrop: 'Drop this step', planDropLegend: 'Or drop it', planDropWhy: 'Why', planDropWhyChoose: 'Choose why…', planDropWhyMissing: 'Say why the step is dropped: it decides when the plan suggests it again.', planResumeOn: 'Suggest it again from', planDroppedUntil: '{why}, until {day}', planDroppedOn: 'Dropped on {day}', moreDropped: 'Show {n} more dropped steps', planDroppedTiming: '“{title}” is put off: it leaves the plan until {day}, when the plan suggests it again for someone to take on.', planDroppedNobody: '“{title}” was dropped from the plan: it is no longer anyone’s, and the plan gives it to the sales director to find someone (dropped so once before already, it waits a month instead).', planDroppedRefused: '“{title}” was dropped from the plan: it is no longer anyone’s, and the plan suggests it again only once one of ours has been in touch with {person}.', planDroppedNoOne: '“{title}” was dropped from the plan: it is no longer anyone’s, and the plan suggests it again in a month.', planDroppedOwed: '“{title}” was dropped from the plan, but the process requires it: the plan suggests it again at once, for someone to take on.', planOwed: 'The process requires this step: dropped, it is suggested again at once. To do it later, move its day above.', planChangeNothing: 'Choose another owner or another day first.', planChanged: '“{title}”: owner {owner}, due {due}.', planDropped: '“{title}” was dropped from the plan: it is no longer anyone’s, and the plan suggests it again once one of ours has been in touch with {person}, or in a month.',
    workPlan: 'Work plan', action: 'Action', owner: 'Owner', due: 'Due', noOwner: 'no owner yet',
    myWork: 'My work', onlyMine: 'Only mine', overdue: 'overdue', recordResult: 'Record result',
    resultRecorded: 'Result recorded: {title}. The deal\'s scores take it into account.',
    choose: '— choose —', notDiscussed: 'not discussed', solutionReaction: 'Their view of our solution',
    priceReaction: 'Their view of our price',
    noWork: 'No open work plan items. Accept a suggestion on a deal to plan the next step.',
    noWorkViewer: 'No open work plan items on the deals you may see.',
    noneOfYours: 'None of the open work plan items is yours; {n} on your deals are owned by others: untick “Only mine” to see them.',
    moreItems: '… and {n} more',
    closeness: 'Relationship closeness', solution: 'Solution acceptance', fieldRequired: 'Fill this in.', fieldTooLow: 'At least {min}.', fieldTooHigh: 'At most {max}.', fieldTooEarly: 'Not before {min}.', fieldTooLate: 'Not after {max}.', fieldMistyped: 'This is not in the form it asks for.', price: 'Price acceptance', scoreEstimate: 'estimate, no price talk yet', solutionEstimate: 'estimate, no solution shown yet',
    scores: 'Scores and reasons', ties: 'Ties', lastContact: 'Last contact', never: 'never', nextContact: 'Next planned contact',
    flagsAbout: 'Red flags about this person', actionsFor: 'Suggested actions with this person', none: 'none',
    influences: 'Influences', influencedBy: 'Influenced by', knownBy: 'Known by our people',
    competitorTies: 'Close to competitors', role: 'Role', attitude: 'Attitude', influence: 'Influence',
    needs: 'Needs', needsCard: 'Needs and how well we meet them', needsHelp: 'What they want from the project, in their words (the process asks for every key person’s)', needsFit: 'How well we meet them', needsUnrecorded: 'Not recorded yet: the process asks for every key person’s needs.', setNeeds: 'Save needs',
    setRole: 'Save role and attitude', details: 'Details', name: 'Name', nameEn: 'Name (English)', notes: 'Notes',
    title2: 'Title', department: 'Department', save: 'Save', saved: 'Saved.', cancel: 'Cancel', close: 'Close',
    setManager: 'Set manager', noManager: '(nobody)', strength: 'Strength', addInfluence: 'Add influence',
    logActivity: 'Log an activity', type: 'Type', summary: 'Summary', outcome: 'Outcome', when: 'When', log: 'Log',
    contacts: 'Contacts', noContacts: 'No contact logged or planned yet.', contactsMore: 'and {n} earlier.', contactsAll: 'Show all {n}',
    plannedTitle: 'Contacts planned', plannedMore: 'and {n} more later.', plannedDue: ' (passed: how did it go?)', recordHow: 'Record how it went',
    contactRecorded: 'Recorded: {what}.',
    plannedContact: 'planned', correct: 'Correct', correctNamed: 'Correct "{what}"', delete: 'Delete', deleteNamed: 'Delete "{what}"', keep: 'Keep',
    contactCorrected: 'Contact corrected.', contactDeleted: 'Contact deleted: it no longer counts.',
    contactChangedMeanwhile: 'The contact of {when} ({what}) was changed by someone else meanwhile: the contacts show it as it is now. Correct it again if it still needs it.',
    contactGoneMeanwhile: 'The contact of {when} ({what}) was deleted by someone else meanwhile: the contacts show what is left.',
    contactChangedBeforeDelete: 'The contact of {when} ({what}) was changed by someone else meanwhile, so it was not deleted: the contacts show it as it is now. Delete it again if it should still go.',
    deleteContactAsk: 'Delete this contact ({what}, {when})? It will no longer count, in the scores or in the process.',
    planActivity: 'Plan a contact', plan: 'Plan', plannedHelp: 'Still to come: its outcome and how they took our solution and price are logged once it has taken place.',
    whatIf: 'What if…', whatIfHelp: 'Try changes on the map; nothing is saved until you save them.',
    wiAttitude: '{name} had attitude', wiCloseness: '{name} known by', wiLeaves: '{name} left the chain', wiLeavesTry: 'Suppose {name} leaves the chain', wiAttitudeTo: '{name} had attitude {attitude}', wiKnownBy: '{name} known by {member}', wiAdd: 'Add change', wiHears: 'How {name} takes our price', wiHeard: '{name} heard our price of {amount}: {reaction}', wiHeardNoQuote: '{name} heard our price (no quote on record): {reaction}', wiConfirmQuote: 'Saving the quote sends it back to draft: the delivery manager reviews the new amount before it goes out, and a submitted one must be submitted again.', wiConfirmUnreviewed: 'A price heard is recorded as told to the customer, and the delivery manager has not reviewed it: TAS+ reviews a quote before it goes to the customer.', quoteChanged: 'The deal was changed by someone else meanwhile: nothing of the what-if was saved. It is kept as tried; look at the deal as it is now, then save it again.', wiQuote: 'Our quote becomes', wiQuoteTo: 'Our quote became {amount}', wiQuoteNeeded: 'Give the quote to try as a whole amount, at least 1', wiMore: 'The four questions, the red flags, saving: below',
    wiRun: 'Show the effect', wiClear: 'Clear', wiSave: 'Save these changes', wiConfirm: 'Saved, these are recorded as what is so, not as a guess: the scores, the plan and the process read them from now on, for everyone on the deal, under your name. Save only what you have heard or seen.', wiConfirmYes: 'Record them as facts', wiConfirmNo: 'Keep them as a what-if', wiBefore: 'now', wiAfter: 'after',
    wiChanges: 'Changes tried', wiNone: 'No change tried yet.', wiFlagsAfter: 'Red flags after the changes', wiPeople: 'Their scores after the changes', wiFlagNew: 'new', wiFlagCleared: 'cleared', alsoWatch: 'Also to watch ({n})',
    conflict: '{name} was changed by someone else meanwhile; the latest version is shown, your input is kept — save again.',
    competitorKnown: '{name} is already known: it is picked above. Save to set its standing on this deal.',
    oursRequired: 'Tick who of ours took part: the contact counts for them.',
    existingPerson: 'Who', newPersonOption: 'A new person (type the name below)',
    namesakeAtCustomer: '{customer} already has {job}: pick them under Who to keep their contacts and ties — or add again to record another person of that name.',
    namesakeOnChain: '{job} is already in this chain: select them on the map — or add again to record another person of that name.',
    placeChanged: '{name}’s role, attitude or influence on this deal was changed by someone else meanwhile: the map now shows it as it is. Make your change again if it still applies.',
    placeGone: '{name} was taken off this deal’s decision chain by someone else meanwhile: your change was not saved.',
    wiPlaceMoved: '{name}’s place on this deal was changed by someone else meanwhile: nothing of the what-if was saved. Your changes to {name} are dropped, the rest are kept as tried; look at the map as it is now, then save again.',
    wiPlaceGone: '{name} was taken off this deal’s decision chain by someone else meanwhile: nothing of the what-if was saved. Your changes to {name} are dropped, the rest are kept as tried; look at the map as it is now, then save again.',
    dropped: '{person} now reports to {manager}.', influenceSaved: '{from} now influences {to}.', influenceKnown: '{from} already influences {to} ({strength}): to change how strongly, use Add influence on the panel of {from}.',
    placeholder: 'missing: {role}', dept: '(no department)', ally: 'ally of {c}',
    legendAttitude: 'fill = attitude (also the sign in the label: ++ champion … −− opponent)',
    legendSize: 'size = effective influence', legendRole: 'badge [..] = buying role',
    legendRing: 'ring = our coverage (thicker = closer; dashed red = nobody of ours knows them)',
    legendAlly: 'outer outline in a competitor\'s colour = that competitor\'s ally (also named in the label)',
    legendLines: 'solid grey = reports to (top-down); orange dashed arrow = influences; green = our people\'s ties (thicker = closer)',
    legendPlaceholder: 'dashed box = a role the chain lacks',
    legendLeft: 'grey, dashed = left the customer (history: no longer counted)',
    mapLeft: '↗ left on {day}', mapLeftTo: '↗ left on {day} → {to}', leftSaid: 'Left the customer on {day} · {how}', leftSaidTo: 'Left the customer on {day} · {how} → {to}', leftList: 'Left on {day}', leftListTo: 'Left on {day} → {to}', leftShort: 'left',
    departureTitle: 'Left the customer', departureRecord: 'Record that they left',
    departureHelp: 'Record it once, for every deal at once: the day they left (earlier than today if you heard late), how, and where they went if known. The open steps with them are dropped, and they stop counting in every deal’s scores.',
    departureHelpLeft: 'They stay on the map as history: their scores are frozen as they stood that day and no longer counted.',
    departureUndoHelp: 'Recorded by mistake? Undo it: they count again, and the steps it dropped open again with their days.',
    departureUndo: 'Undo this record', departureDay: 'Day they left', departureHow: 'How', departureTo: 'Where to (if known)', departureToHint: 'e.g. group headquarters',
    departureDayMissing: 'Give the day they left.', departureHowMissing: 'Choose how they left.',
    departureRecorded: '{name} is recorded as having left the customer and no longer counts on any deal. Open steps with them dropped: {n}.',
    departureUndone: 'The record of {name} leaving was undone: they count again. Steps with them open again: {n}.',
    successorLabel: 'Successor (now in the job)', successorUnknown: 'Not yet known', successorSave: 'Save', successorSaid: 'Successor (now in the job): {name}',
    successorHelp: 'Pick who holds this job now and add them to the decision chain: until then the job counts as held by someone nobody of ours knows.',
    successorSet: '{successor} holds {name}’s job now.',
    successorSetOff: '{successor} holds {name}’s job now. Add them to the decision chain: until then the job counts as held by someone nobody of ours knows.',
    successorCleared: 'Who holds {name}’s job now is not known: it counts as held by someone nobody of ours knows.',
    successorPlace: 'Put {successor} on the chain as {as}', successorPlaced: '{successor} is on the decision chain in {name}’s place, as {as}.',
    successorGone: '{name} (left the customer)', successorNotLoaded: 'The customer’s people could not be loaded: reload the page to choose.',
    askOpen: 'Successor introduction: {owner} is asking {name} on {deal}, due {due}. Please do not contact them separately; add your questions to that step.',
    askOpenElsewhere: 'Successor introduction: {owner} is asking {name} on another deal, due {due}. Please do not contact them separately.',
    askDone: 'Successor introduction done on {deal} by {owner} on {on}.', askDoneElsewhere: 'Successor introduction done on another deal by {owner} on {on}.',
    askRefused: 'Successor introduction not possible: {name} declined (recorded by {owner} on {deal}). Not suggested again.',
    askRefusedElsewhere: 'Successor introduction not possible: {name} declined (recorded by {owner} on another deal). Not suggested again.',
    askNotNeeded: 'Not needed on {deal}; {name} has not been asked yet.', askNotNeededElsewhere: 'Not needed on another deal; {name} has not been asked yet.', askSomeone: 'someone of ours',
    scoresFrozen: 'Scores the day they left (not counted)', successorStep: 'opens the door to their successor',
    keyPeople: 'Key people', allRedFlags: 'All red flags', moreOverleaf: '…and {n} more, on the next page', dealSheetTitle: 'Deal sheet', printedAt: 'Printed {d}', with: 'With', openWork: 'Open work plan items',
    backToList: '← Pipeline', notFound: 'This opportunity does not exist or you may not see it.',
    readOnly: 'Your role may read this deal but not change it.',
    notLinked: 'Your login is not linked to one of our team members, so no deal is yours to see yet. Ask an administrator to link it to you as a team member.',
    sessionEnded: 'Your session has ended (the token expired or was revoked). Please sign in again.',
    signedInAgain: 'You are signed in again, and what you typed is still here: send it again.',
    requiredStep: 'must be done, whatever it adds', dealTeam: 'Our team on this deal', teamEmpty: 'Nobody of ours is on this deal yet: add the account manager, solution manager and delivery manager (the iron triangle).',
    teamAdd: 'Add to the team', teamAddHelp: 'Putting someone on the team again changes their role or phase.', teamDirectorHelp: 'The sales director who manages you sees this deal and approves its steps already; only a sales director or an administrator makes someone its sales director.', teamDirectorOnlyHelp: 'Only a sales director or an administrator makes someone this deal\'s sales director.',
    teamMember: 'Team member', phase: 'Phase', teamAdded: '{name} is on the team of {deal} as {role}.',
    teamRemoved: '{name} is no longer on the team of {deal}.', remove: 'Remove', removeNamed: 'Remove {name}',
    teamRemoveAsk: 'Take {name} off the team of {deal}?',
    teamRemoveAloneAsk: 'Take {name} off the team of {deal}? The iron triangle then has no {role}.',
    teamRemoveSelfAsk: 'Take yourself off the team of {deal}? You may no longer see the deal, and only someone else can put you back.',
    teamRemoveSelfAloneAsk: 'Take yourself off the team of {deal}? The iron triangle then has no {role}; you may no longer see the deal, and only someone else can put you back.',
    teamRemoveYes: 'Take off', teamLeaveYes: 'Take me off',
    teamAlreadyOff: '{name} was already taken off the team of {deal} by someone else: the team is shown as it is now.',
    teamLeft: 'You are no longer on the team of {deal}.',
    dealCompetitors: 'Competitors on this deal', competitorsEmpty: 'No competitor recorded on this deal yet.',
    competitorSet: 'Add a competitor or change its standing', competitor: 'Competitor', newCompetitor: 'New competitor…',
    competitorName: 'Name of the new competitor', competitivePosition: 'Position', pricePosition: 'Price',
    competitorAdded: '{name} is recorded as a competitor on {deal}.', competitorChanged: 'The standing of {name} on {deal} is saved.',
    competitorRemoved: '{name} is no longer a competitor on {deal}.', competitorTie: 'Close to a competitor',
    competitorTieSaved: '{person} is recorded as close to {competitor}.', competitorTieRemoved: '{person} is no longer recorded as close to {competitor}.',
    noCompetitorsYet: 'Add the deal\'s competitors first (Competitors on this deal).',
    teamTie: 'Who of ours knows them', teamTieHelp: 'One of our people who knows {person}: can call them and be received. Logging a contact raises the closeness; record here that someone of ours now knows them.',
    ourPerson: 'Our person', teamTieSaved: '{member} is recorded as knowing {person}.', teamTieRemoved: '{member} is no longer recorded as knowing {person}.',
    dealDetails: 'Deal details', questionsAsDecided: 'The four questions as they stood when the deal was decided.', dealDecidedKept: 'The deal is decided: its record stays as it was decided. Its notes can still be written.', dealSaved: 'Saved the details of {name}.', unknown: 'not known',
    deal_amount: 'Deal amount', amountIn: '{label} ({unit})', unitYuan: 'CNY', deal_currency: 'Currency (ISO code)', deal_budget: 'Customer budget', deal_quoteAmount: 'Quote amount',
    deal_expectedCloseDate: 'Expected close date', deal_decisionProcessKnown: 'Decision process known',
    deal_compellingEvent: 'Compelling event', deal_description: 'Description', deal_presalesCost: 'Presales cost (to win it)',
    deal_deliveryCost: 'Delivery cost', deal_deliveryRisk: 'Delivery risk',
    whenRequired: 'Give the date and time of the activity.', typeRequired: 'Choose the kind of contact.',
    outcomeRequired: 'Choose how it went.', whenNotYet: 'That time is still to come: record what happened once it has.', whenLongAgo: 'That is {days} days ago: is the year right? Log it again to keep the date.', whenLongAgoSave: 'That is {days} days ago: is the year right? Save again to keep the date.', noMatch: 'No one matches.',
    errorGeneric: 'Something went wrong: {m}', networkError: 'The server could not be reached.',
    mapEmpty: 'No one is in this decision chain yet.', selectPerson: 'Select a person on the map or in the list.',
    changesTitle: 'What changed', changesSince: 'Since', changesBetween: 'Between stage gates',
    changesFromGate: 'from', changesToGate: 'to', changesShow: 'Show what changed',
    changesNoGates: 'fewer than two stage gates are recorded for this deal', changesLoading: 'Reading the history…',
    changesNone: 'Nothing changed in the decision chain in this period.', changesNow: 'now',
    changesProcess: 'Stages and process', changesPeople: 'People', changesAttitudes: 'Attitudes', changesTies: 'Ties and closeness',
    changesFlags: 'Red flags', changesOther: 'Deal, team, competitors and activities',
    changesMovers: 'What moved the win likelihood most', points: '{d} pts',
    changesTrendLabel: 'Win likelihood over the period: {from} at the start, {to} at the end, {n} points',
    badgeAdded: '+ new', badgeWarmer: '▲ warmer', badgeCooler: '▼ cooled', badgeChanged: '• changed',
    legendChanges: 'halo = changed in the period under “What changed” (green: new or warmer, red: cooled, blue: other change; the badge says which)',
    legendFocus: 'pick a person (on the map or in the list) to see them and their ties up close; “Whole chain” or Esc shows everyone again. Labels too small to read are left out: point at (or tap) a person to see who it is.',
    // the TAS+ process (process.js)
    yes: 'Yes', no: 'No', nameList: ', ', feasible: 'Feasible to deliver', workload: 'Workload (person-days)',
    reviewedQuote: 'Quote reviewed ({currency})', currentQuote: 'Current quote: {amount}', reviewComment: 'Comment',
    recordReview: 'Record the review',
    reviewStepDone: 'Delivery review recorded for {deal}: “{title}” is done with it.',
    whoReviews: '{names} ({role}) records this review on the deal; the step is done once the review is recorded.',
    whoReviewsRework: 'This step is done when {names} ({role}) reviews the reworked quote: rework scope or price, then ask for the review again.',
    noDeliveryManager: 'Nobody on the deal\'s team is its {role} yet: put one on the team, then they record this review.',
    whoReviewsDeal: '{names} ({role}) records the delivery review.',
    processTitle: 'Process', stageSince: 'Stage: {stage}, since {date}', lostToWhom: 'Lost to {competitor}', lostWhy: 'Lost', abandonedWhy: 'Given up', movedFrom: 'Moved here from {stage}', movedBy: ' ({name}, {date})', advanceTo: 'Advance to {stage}', advanced: 'Moved to {stage}.',
    advanceRefused: 'Not ready for {stage} yet:', triangleTitle: 'Iron triangle ({phase})', roleMissing: 'missing', roleElsewhere: ' ({names} in {phase}: put them on this team too if they stay)', colon: ': ',
    partList: ' · ', rolesOr: ' or ', reviewTitle: 'Delivery review', reviewNone: 'Not reviewed yet.', reviewFeasible: 'Feasible',
    reviewNotFeasible: 'Not feasible', reviewDays: '{n} person-days', amountTooLarge: 'Too large: at most {most}. Check the figure', workloadTooLarge: 'More than {most} person-days: check the figure', reviewQuote: 'quote reviewed {amount}', reviewBy: 'by {name}, {date}',
    reviewAgain: 'Review again', reviewRecorded: 'Delivery review recorded.', quoteTitle: 'Quote', quoteEnter: 'Enter the quote amount in the deal details', markSubmitted: 'Mark quote submitted',
    quoteSubmitted: 'The quote is marked submitted.', quoteSubmittedOn: 'Submitted on {date}', quoteRefused: 'The quote cannot be submitted yet:',
    approvalsTitle: 'Approvals', noApprovals: 'None requested yet.', requestedBy: 'requested by {name}, {date}',
    quoteMeanwhile: 'The quote changed meanwhile (submitted, or a new amount): the card shows it as it is now', decidedByNamed: 'decided by a {roles}: {names}', decidedByUnstaffed: 'decided by a {roles}; no {missing} is on the deal\'s team yet (Our team on this deal)', decidedByNobody: 'nobody decides it on a deal that ended: its requester may withdraw it', decidedByRequesterOnly: 'decided by a {roles}; its requester, {name}, is the only {roles} who sees this deal, and nobody decides their own request: put another on Our team on this deal', decidedByNoneSees: 'decided by a {roles}; none sees this deal yet: put one on Our team on this deal', approve: 'Approve', reject: 'Reject', decisionComment: 'Comment',
    approvedNote: '{process}: approved.', rejectedNote: '{process}: rejected.', violationsTitle: 'Open violations',
    commitmentsTitle: 'Running commitments', commitmentsHelp: 'Violations a sales director accepted with a date to put them right by. One still not put right the day after its date (UTC) comes back as a missed commitment.',
    commitmentLine: '{name} promised to put it right by {date}; {agreed}.', commitmentMine: 'You promised to put it right by {date}; {agreed}.', agreedBy: '{director} agreed on {day}', agreedOn: 'agreed on {day}',
    validatedBy: 'Validated as real by {director} on {day} ({process}).', validationPending: 'Validation as real asked of a sales director ({process}): not decided yet.', notValidated: 'Not validated as real by a sales director yet ({process} not approved); this does not lower the score.', validationProcess: 'TAS+1-1 Create opportunity',
    acknowledgedTitle: 'Acknowledged', acknowledgedHelp: 'The latest violations a sales director took note of without a date to put them right by: they wait on nobody, and one whose cause still holds at its recheck comes back.', acknowledgedLine: 'Acknowledged by {director} on {day}: “{note}”', acknowledgedLineNoOne: 'Acknowledged on {day}: “{note}”',
    promiseInDays: 'due in {days} days', promiseTomorrow: 'due tomorrow', promiseToday: 'due today', promisePassed: 'overdue: it comes back at the next check unless put right',
    noViolations: 'None open.', acknowledge: 'Acknowledge', ackNote: 'Your note on it', acknowledgedNote: 'Violation acknowledged.',
    respond: 'Respond', respondAgain: 'Respond again', respondNote: 'What was done about it', putRightBy: 'Put right by',
    promisedLine: 'To be put right by {date}: {days} days, the usual recheck is {recheck} days.', promisedLineOne: 'To be put right by {date}: 1 day, the usual recheck is {recheck} days.', respondedNote: 'Response saved: it waits for a sales director\'s acknowledgement.',
    responseLine: 'Response by {name}, {date}: “{note}”.', ackWaiting: 'Responded: waiting for a sales director to acknowledge it.',
    sendBack: 'Send back', sendBackNote: 'What the response still lacks', sentBackDone: 'Response sent back: it waits on {name} again.', sentBackDoneTeam: 'Response sent back: it waits on the team again.',
    sentBackLine: 'Sent back by {name}, {date}: “{note}”.', responseWas: 'The response was: “{note}”.',
    violationLine: 'responsible: {name}, detected {date}',
    respondWho: 'Only {name} responds to it; a sales director acknowledges it.',
    withdraw: 'Withdraw', withdrawnNote: '{process}: withdrawn.', requestComment: 'Comment for the approver', requestEmpty: 'Whoever decides reads only what you write here: without it they have nothing to judge. Write it (below: what it takes), or request again to send it without.', requestedEmpty: 'Requested without a word on it: ask the requester for what it takes before deciding.',
    decisionLine: '{state} by {name}, {date}', neededTitle: 'Approvals needed for {stage}', gateTodo: 'Still to do before {stage}:', gateAndApproval: 'and 1 approval, below', gateAndApprovals: 'and {n} approvals, below', gateApprovalsLeft: 'The fields and actions {stage} needs are done; the approvals below remain.', gateMet: 'Everything {stage} needs is in place.', notRequested: 'not requested',
    notRequestedPassed: 'not requested at {stage}, which the deal has passed',
    requestAgain: '{state}: request it again', requestApproval: 'Request approval', requestedNote: '{process}: requested.',
    requestOthersDecide: 'Request approval from another', ownRequestDecidedBy: 'You decide this as {role} once someone else asks for it; a request of your own is decided by {names}.',
    ownRequestNobody: 'You decide this as {role} once someone else asks for it; a request of your own would need another {roles}, and none sees this deal yet (put one on Our team, on this deal).',
    ownPendingDecidedBy: 'You asked for this, so you do not decide it: {names} decides it.',
    ownPendingNobody: 'You asked for this, so another {roles} decides it, and none sees this deal yet: put one on its team (Our team, on this deal).',
    whoRequests: 'requested by the deal\'s {roles}', anyoneRequests: 'requested by anyone on the deal\'s team',
    timesheetHelp: 'One line per entry: team member, week (2026-W10), hours',
    reviewDiffers: 'The current quote is {current}: a review of {amount} will not cover it.',
    reviewUncovered: 'This review covers {amount}, not the current quote of {current}: {names} changes the quote to the amount reviewed, or the delivery manager reviews the current one.', reviewUncoveredRefused: 'This review judged {amount} not deliverable; the current quote of {current} is a new quote and waits for the delivery manager\'s review.', reviewRefused: 'Not deliverable as quoted: {names} reworks scope or price with the solution and delivery managers, then the delivery manager reviews it again. The quote cannot go out before.',
    confirmAdvance: 'Move the deal from {from} to {to}?', confirmAdvanceLacking: 'Not everything {to} needs is in place yet (above): the move will be refused until it is. Try moving the deal from {from} to {to} anyway?', confirmAdvanceYes: 'Yes, advance to {stage}', confirmAdvanceTry: 'Yes, try moving to {stage}',
    moveDealOpen: 'Lost, abandoned or back a stage…', moveDealBack: 'Back a stage…', reopenDeal: 'Reopen the deal…', moveTo: 'Move the deal', closeLost: 'Lost', closeAbandoned: 'Abandoned (we stop pursuing it)',
    moveBackTo: 'Back to {stage}', reopenAt: 'Reopen at {stage}', lostTo: 'Lost to', notToCompetitor: 'none of its competitors', moveReason: 'Why (required)', moveDeal: 'Move the deal', moveRefused: 'Not moved to {stage}:', moved: 'Moved to {stage}.',
    roleChanged: 'Your role was changed meanwhile: the page now offers what it allows.', staleCard: 'Someone changed this deal meanwhile; the Process card now shows it as it is: check it and try again.',
    staleReview: '{name} was changed by someone else meanwhile; the current quote is {amount}. The form now shows the deal as it is and keeps what you typed: check it and record the review again.',
    waitingTitle: 'Waiting for you', waitingHelp: 'Pending approvals on your deals that your role decides, quotes waiting for your delivery review, quotes of yours the delivery review judged not deliverable, your requests that were rejected, the process violations you answer for and the dates you promised to put them right by, the responses to violations you acknowledge, the dates your team promised that fall due this week or are overdue, and the steps your team dropped because nobody could do them.', responseYours: 'To acknowledge', staffYours: 'Nobody to do it', staffSince: 'dropped by the team on {date}: give it to one of ours.', staffWho: 'Choose who of ours does it.', staffGive: 'Give it to them', staffOthers: 'Others of ours (they join the deal’s team)', staffJoined: '{owner} is now on the team of “{deal}” as {role}.', staffGiven: '“{title}” is now {owner}’s, in the work plan.', violationYours: 'Out of process', commitmentYours: 'Your commitment', commitmentTeam: 'Commitment due', violationSince: 'found {date}', violationAdvice: 'Put it right, or respond with what was done on the deal\'s Process card.',
    rejectedYours: 'your request was rejected', rejectedBy: 'by {name} on {date}.', rejectedNext: 'Rework it and request it again on the deal\'s Process card.', rejectedWhy: 'Why: “{why}”.',
    otherRequest: 'Request another process…', otherProcess: 'Process',
    reviewWaiting: 'Delivery review of the quote', reviewWaitingHelp: '{amount}: it cannot go to the customer until you review it',
    dueTitle: 'What this stage still requires, and the day each becomes a process violation:', dueBy: 'due {date}', dueOverdue: 'overdue since {date}', dueWhose: '{name} by {date}',
    reworkWaiting: 'Rework the quote', reworkWaitingHelp: '{amount}: {name} judged it not deliverable as it stands on {date}. Rework scope or price with the solution and delivery managers, then ask for the review again.',
    noneOfYoursOne: 'None of the open work plan items is yours; 1 on your deals is owned by someone else: untick “Only mine” to see it.',
    // starting a deal (newdeal.js) and its empty chain
    newDeal: 'New deal', newDealTitle: 'Start a new deal', newCustomerOption: '+ New customer',
    newDealHelp: 'You join the deal\'s team, and its map opens next: start its decision chain there.',
    newDealHelpUnlinked: 'Your login acts as none of our team members, so you join no team: add the account manager on the deal page. Its map opens next: start its decision chain there.',
    customerSearch: 'Search customers by name', newCustomer: 'New customer', customerName: 'Customer name',
    industry: 'Industry', region: 'Region', dealName: 'Deal name', createDeal: 'Create the deal',
    customerNameNeeded: 'Give the new customer a name.', dealNameNeeded: 'Give the deal a name.',
    closeDatePast: 'This date has passed: the expected close date of a new deal is today or later.', closeDateFar: 'More than 5 years ahead (the last is {last}): is the year right?',
    dealCreated: 'Created the deal “{name}”. Start its decision chain: who decides, who evaluates.',
    chainStartTitle: 'Start the decision chain', chainStartHelp: 'Nobody is on this deal\'s decision chain yet. Add its first key persons:',
    chainStartDecides: 'who decides', chainStartEvaluates: 'who evaluates the solution and the offer', chainStartBuys: 'who runs the purchase',
    chainStartCoach: 'who inside could guide you',
    chainStartAfter: 'The map, the scores and the suggestions grow from them; the missing roles stay marked on the map.',
    // the pipeline's filter bar, status and slipped deals (pipeline.js)
    all: 'All', noAccountManager: 'no account manager', filterPipeline: 'Filter the pipeline', stage: 'Stage',
    filters: 'Filters', filtersOn: 'Filters ({n} on)',
    atRiskOnly: 'At risk only', sortBy: 'Sort by', sortClose: 'Expected close, soonest first',
    sortAmount: 'Amount, largest first', sortWeighted: 'Weighted amount, largest first', sortLikelihood: 'Win likelihood, highest first',
    sortCloseRev: 'Expected close, latest first', sortAmountRev: 'Amount, smallest first', sortWeightedRev: 'Weighted amount, smallest first',
    sortLikelihoodRev: 'Win likelihood, lowest first', sort_date_asc: 'earliest first', sort_date_desc: 'latest first',
    sort_figure_desc: 'highest first', sort_figure_asc: 'lowest first', sortReverse: 'Click again to reverse the order',
    clearFilters: 'Clear filters', atRiskCount: '{n} at risk', slippedCount: '{n} slipped', stagesNav: 'Stages',
    overview: 'Overview', violationsCard: 'Open process violations', violationsTotal: '{n} open on {deals}',
    noOpenViolations: 'No open violations of the process.', unanswered: '{n} unanswered', answered: '{n} answered, waiting for a director',
    showConcerned: 'Show only the {deals} concerned', showAllDeals: 'Show all deals again', filterViolation: 'Process violation',
    gateCard: 'Gate compliance', gateLine: '{n} of {total} open deals passed every gate on the way to their stage', noOpenDeals: 'No open deals.',
    resultsCard: 'Results', periodQuarter: 'This quarter', periodLastQuarter: 'Last quarter', period90: 'Last 90 days',
    periodYear: 'This year', periodSpan: 'Closed from {from} to {to}', winRate: 'Win rate', winRateWhy: '{won} won of {decided} decided',
    noneDecided: 'no deal won or lost in this period',
    enteredDecided: 'Not counted: {deals} entered already decided (brought from another system)',
    showingOf: 'Showing {n} of {total} deals.', noMatchingDeals: 'No deal matches these filters.',
    statusColumn: 'Status', closedOn: 'Closed on', slipped: 'slipped',
    slippedWhy: 'The expected close date has passed: the account manager updates the date or the deal.',
    // My work's filters and groups (work.js), the team's activity (activity.js)
    onlyOverdue: 'Overdue only', workSummary: '{open} open · {overdue} overdue · {week} due this week',
    byOwner: 'By owner:', ownerOpen: '{n} open', ownerOverdue: '{n} overdue', everyone: 'Everyone',
    dealOrCustomer: 'Deal or customer', allDeals: 'All deals', allOfCustomer: 'All deals of {name}',
    noWorkMatches: 'No open work plan item matches these filters.', showEveryItem: 'Show every open item',
    showAll: 'Show all {n}', group_overdue: 'Overdue', group_week: 'Due this week', group_later: 'Later', group_none: 'No due date',
    teamActivity: 'Team activity', period: 'Period', period7: 'Last 7 days', periodWeek: 'This week', periodLastWeek: 'Last week', period30: 'Last 30 days',
    activityCount: '{n} activities from {from} to {to}, newest first', activityCountOne: '1 activity from {from} to {to}',
    perMember: 'Per person:', ours: 'Who of ours', nobodyOfOurs: 'nobody of ours', showMore: 'Show more ({n} not shown yet)',
    noActivities: 'No activity on the deals you may see in this period.',
    ourPeople: 'Our people', ourPeopleHelp: 'Who is on our team, whom they report to, on how many open deals, and who left when.',
    ourPeopleHelpAdmin: 'Who is on our team, whom they report to (a sales director sees the deals of those they manage), on how many open deals, and who left when. When someone leaves, hand their work over: a successor takes their open deals, accounts and steps.',
    openDeals: 'Open deals', openDealsSeen: 'Open deals you see', withUs: 'With us', leftOn: 'Left on {day}', handOver: 'Hand over…', handOverNamed: 'Hand over the work of {name}',
    handOverTitle: '{name} leaves', handOverTo: 'Successor',
    directorsLoseSight: '{directors} will no longer see these deals: they see {name}’s deals as their team’s, and {successor} is not in their team. To keep them seeing, make one of them {successor}’s manager first:',
    reportsTo: 'Reports to', addManager: 'Add manager…', addManagerNamed: 'Add a manager for {name}', removeManagerNamed: '{manager} no longer manages {name}',
    managerTitle: 'Whom {name} reports to', manager: 'Manager', managerConfirm: 'Add as manager',
    managerHelp: 'A sales director sees the deals of everyone they manage, directly or through others, from their next request on.',
    managerAdded: '{name} now reports to {manager}.', managerRemoved: '{name} no longer reports to {manager}.',
    logins: 'Logins', giveLogin: 'Give a login…', giveLoginNamed: 'Give {name} a login', giveLoginTitle: 'A login for {name}',
    giveLoginHelp: 'The login acts as this person: it sees their deals and does their steps. Its token is shown once, here, to hand over to them.',
    newMember: 'New team member…', nobodyYet: 'Nobody is on our team yet.', nobodyYetAdmin: 'Nobody is on our team yet: add the first with “New team member…”.', noRoleYet: 'no role yet', changeRole: 'Change', changeRoleNamed: 'Change the role of {name}', changeRoleTitle: 'The role of {name}', changeRoleHelp: 'What they do on a deal: a sales director approves the steps of the deals of those they manage; the team form offers each role to whoever holds it.', changeRoleConfirm: 'Save the role', memberRoleSet: '{name} is now {role}.', roleChangedMeanwhile: 'Someone changed {name} meanwhile: the list is read again; change the role again if it still needs it.', email: 'E-mail', addMember: 'Add to our people', memberAdded: '{name} is one of our people now: set whom they report to and give them a login in their row.',
    memberNamesake: '{job} is already one of our people: if this is someone else of that name, give a title that tells them apart, then add again.',
    memberNamesakes: '{jobs} are already among our people: if this is someone else of that name, give a title that tells them all apart, then add again.',
    loginName: 'Login name', loginRole: 'Role', giveLoginConfirm: 'Give the login', tokenLabelApp: 'given on Our people', tokenIssued: '“{label}”, issued {date}',
    loginGiven: '{name}’s login {login} is ready', tokenGiven: 'A new token for {name}’s login {login}',
    newToken: 'New token', newTokenNamed: 'Give {name} a new token', tokenOnce: 'Copy the token now and hand it to its owner: it will not be shown again. Lost, it is replaced by a new one (New token).',
    tokenKind: 'The tokens in use', tokenReplace: 'Replace them (lost or given away): they stop signing in now', tokenAnother: 'Keep them: this one is for another device', tokenPurpose: 'What it is for', tokenLabelHint: 'e.g. phone, laptop', giveToken: 'Give the token',
    tokenFor: 'The token of {name}', copyToken: 'Copy', copied: 'Copied', copyByHand: 'Select and copy it', tokenCopiedDone: 'I have copied it',
    revokeToken: 'Revoke token {token}', revokeTokenNamed: 'Revoke {name}’s token {token}', tokenRevoked: '{name}’s token {token} no longer signs in.',
    loginDisabled: 'disabled',
    editLogin: 'Change…', editLoginNamed: 'Change the login {name}', editLoginTitle: 'The login {login} of {name}',
    loginAccess: 'Signing in', loginEnabled: 'Signs in with its tokens', loginDisabledLong: 'Disabled: it no longer signs in',
    loginAccessHelp: 'Disabling a login revokes its tokens at once. Enabled again, it signs in once given a new token.',
    saveLogin: 'Save the login', loginUnchanged: 'Nothing to change in {login}.',
    loginRoleChanged: '{login} is now: {role}.', loginDisabledNotice: '{login} is disabled: its tokens no longer sign in.',
    loginEnabledNotice: '{login} may sign in again: give it a new token.',
    loginRole_admin: 'Administrator', loginRole_sales_director: 'Sales director', loginRole_account_manager: 'Account manager',
    loginRole_solution_manager: 'Solution manager', loginRole_delivery_manager: 'Delivery manager', loginRole_service_manager: 'Service manager',
    loginRole_lead_expert: 'Lead expert', loginRole_viewer: 'Viewer (reads only)',
    handOverHelp: 'The successor takes {name}’s places on open deals ({deals}) and accounts, and their open steps; won and lost deals keep {name}. The key persons {name} knew are no longer known through them: the relationships leave with the person. {name}’s logins stop at once. This cannot be undone.',
    handOverConfirm: 'Hand over and mark {name} as left', handedOverNotice: '{name}’s work is now {successor}’s.',
    handedOverTitle: '{name} left: {successor} took over', handedDeals: 'Open deals:', triangleGaps: 'Iron triangles now lacking a role:', handedAccounts: 'Accounts:',
    handedSteps: 'Open steps now theirs:', handedContacts: 'Planned contacts now theirs:', changedMeanwhile: 'Someone changed {name}’s work meanwhile: the list is read again; look it over and hand over again.', tiesToRebuild: 'Relationships to build anew:', alsoKnownBy: 'also known by {names}', knownByNobody: 'nobody of ours knows them now', loginsStopped: 'Logins stopped:',
  },
  'zh-CN': {
    title: 'dealgraph — 决策链', pipeline: '商机管道', signIn: '登录', signOut: '退出', signedInAs: '当前登录：{name}',
    tokenLabel: 'API 令牌', tokenHelp: '粘贴管理员发给您的令牌。',
    tokenWrong: '该令牌未被接受。', language: '语言', loading: '加载中…',
    tryAgain: '重试',
    stillLoading: '仍在等待服务器应答…应答缓慢通常表示数据存储繁忙或暂时不可用；若没有应答，页面会告诉您。',
    stillSaving: '仍在保存…应答缓慢通常表示数据存储繁忙或暂时不可用；若没有应答，页面会告诉您。',
    opportunity: '商机', customer: '客户', grade: '分级', amount: '金额', likelihood: '赢单概率',
    redFlags: '红旗警示', noDeals: '没有您可查看的商机。', deals: '{n} 个商机', deal: '{n} 个商机',
    weighted: '加权金额', expectedClose: '预计签约', stageSums: '金额 {amount} · 按赢单概率加权 {weighted}',
    stageAmount: '金额 {amount}', pipelineSums: '进行中的 {deals} · 金额 {amount} · 按赢单概率加权 {weighted}',
    people: '决策链人员', search: '按姓名搜索', map: '决策链地图',
    status: '状态', statusWhyLabel: '状态的原因', moreReasons: '另有 {n} 条原因', moreReasonsShort: '（另有 {n} 条）',
    exportPng: '导出 PNG', exportSvg: '导出 SVG', dealSheet: '商机一页纸（打印）', relayout: '整理布局', wholeChain: '整个决策链',
    drawInfluence: '画影响箭头', drawInfluenceHelp: '先点施加影响的人，再点被影响的人。',
    addPerson: '添加人员', legend: '图例', ourTeam: '我方团队', questions: '四个问题',
    isReal: '是不是商机？', canCompete: '有没有竞争力？', canWin: '能不能赢？', worthIt: '值不值得？',
    suggestions: '首要建议', accept: '采纳为工作计划', accepted: '已加入工作计划。', acceptAsOpen: '更换负责人或日期…', acceptAs: '按此负责人和日期采纳', planChangeOpen: '调整…', planChangeTitle: '调整步骤', planChangeSave: '保存调整', planDrop: '移出计划', planDropLegend: '或将此步骤移出计划', planDropWhy: '原因', planDropWhyChoose: '请选择原因…', planDropWhyMissing: '请说明移出计划的原因：它决定计划何时再次建议此步骤。', planResumeOn: '何时起再次建议', planDroppedUntil: '{why}至{day}', planDroppedOn: '于{day}移出计划', moreDropped: '再显示 {n} 个已移出的步骤', planDroppedTiming: '已暂缓“{title}”：先移出计划，自{day}起计划会再次建议，届时再安排负责人。', planDroppedNobody: '已将“{title}”移出计划，现无人负责；计划会交给销售总监安排人选（此前已因此移出过的，改为一个月后再建议）。', planDroppedRefused: '已将“{title}”移出计划，现无人负责；待我方有人与{person}再次接触后，计划才会再次建议。', planDroppedNoOne: '已将“{title}”移出计划，现无人负责；一个月后计划会再次建议。', planDroppedOwed: '已将“{title}”移出计划；但这是流程要求必须完成的步骤，计划会立即再次建议，待有人接手。', planOwed: '这是流程要求必须完成的步骤：移出计划后会立即再次建议。如需稍后再做，请在上方调整日期。', planChangeNothing: '请先选择其他负责人或其他日期。', planChanged: '“{title}”：负责人{owner}，截止{due}。', planDropped: '已将“{title}”移出计划，现无人负责；待我方有人与{person}接触后，或一个月后，计划会再次建议。',
    workPlan: '工作计划', action: '行动', owner: '负责人', due: '截止', noOwner: '尚无负责人',
    myWork: '我的工作', onlyMine: '只看我的', overdue: '已逾期', recordResult: '记录结果',
    resultRecorded: '已记录结果：{title}。商机的评分已据此更新。',
    choose: '— 请选择 —', notDiscussed: '未涉及', solutionReaction: '对我方方案的反应',
    priceReaction: '对我方价格的反应',
    noWork: '没有未完成的工作计划。在商机上采纳一条建议即可安排下一步。',
    noWorkViewer: '您可查看的商机上没有未完成的工作计划。',
    noneOfYours: '没有由您负责的未完成工作计划；您的商机上有 {n} 项由其他人负责：取消勾选“只看我的”即可查看。',
    moreItems: '……另有 {n} 项',
    closeness: '关系紧密度', solution: '方案认可度', fieldRequired: '请填写此项。', fieldTooLow: '不能小于{min}。', fieldTooHigh: '不能大于{max}。', fieldTooEarly: '不能早于{min}。', fieldTooLate: '不能晚于{max}。', fieldMistyped: '格式不正确。', price: '价格接受度', scoreEstimate: '估算，尚无价格沟通', solutionEstimate: '估算，尚未展示方案',
    scores: '评分与理由', ties: '关系', lastContact: '最近接触', never: '从未', nextContact: '下次计划接触',
    flagsAbout: '与此人有关的红旗', actionsFor: '针对此人的建议行动', none: '无',
    influences: '影响', influencedBy: '受其影响', knownBy: '我方认识的人',
    competitorTies: '与竞争对手关系', role: '角色', attitude: '态度', influence: '影响力',
    needs: '需求', needsCard: '需求及我方满足程度', needsHelp: '其对项目的诉求，尽量用其原话（流程要求记录每个关键人的需求）', needsFit: '我方满足程度', needsUnrecorded: '尚未记录：流程要求记录决策链中每个关键人的需求。', setNeeds: '保存需求',
    setRole: '保存角色和态度', details: '资料', name: '姓名', nameEn: '英文名', notes: '备注',
    title2: '职务', department: '部门', save: '保存', saved: '已保存。', cancel: '取消', close: '关闭',
    setManager: '设置上级', noManager: '（无）', strength: '强度', addInfluence: '添加影响关系',
    logActivity: '记录活动', type: '类型', summary: '摘要', outcome: '结果', when: '时间', log: '记录',
    contacts: '接触记录', noContacts: '尚无记录或计划的接触。', contactsMore: '另有更早的{n}条。', contactsAll: '显示全部{n}条',
    plannedTitle: '计划的接触', plannedMore: '之后还有{n}条。', plannedDue: '（已过：进展如何？）', recordHow: '记录结果',
    contactRecorded: '已记录：{what}。',
    plannedContact: '计划中', correct: '更正', correctNamed: '更正“{what}”', delete: '删除', deleteNamed: '删除“{what}”', keep: '保留',
    contactCorrected: '接触记录已更正。', contactDeleted: '接触记录已删除，不再计入。',
    contactChangedMeanwhile: '{when}的接触记录（{what}）刚被他人修改：接触记录已显示最新内容。如仍需更正，请重新操作。',
    contactGoneMeanwhile: '{when}的接触记录（{what}）刚被他人删除：接触记录已显示剩余内容。',
    contactChangedBeforeDelete: '{when}的接触记录（{what}）刚被他人修改，因此未删除：接触记录已显示最新内容。如仍需删除，请重新操作。',
    deleteContactAsk: '删除这次接触（{what}，{when}）？删除后评分和流程都不再计入。',
    planActivity: '计划一次接触', plan: '计划', plannedHelp: '尚未发生：结果及对方对方案和价格的反应，待活动发生后再记录。',
    whatIf: '假设分析', whatIfHelp: '在地图上尝试变化；保存之前不会写入任何数据。',
    wiAttitude: '{name}态度变为', wiCloseness: '{name}结识我方', wiLeaves: '{name}离开决策链', wiLeavesTry: '假设{name}离开决策链', wiAttitudeTo: '{name}态度变为{attitude}', wiKnownBy: '{name}结识我方{member}', wiAdd: '添加变化', wiHears: '{name}听到我方报价后的反应', wiHeard: '{name}听到我方报价{amount}：{reaction}', wiHeardNoQuote: '{name}听到我方报价（尚无报价记录）：{reaction}', wiConfirmQuote: '保存报价后，报价将退回草稿：新金额须经交付经理评审后才能提交，已提交的报价须重新提交。', wiConfirmUnreviewed: '记录的报价将视为已告知客户，但尚未经交付经理评审：TAS+ 要求报价经评审后才能给客户。', quoteChanged: '商机已被他人修改：假设分析中的变化均未保存，仍保留为尝试；请先查看商机的最新情况，再重新保存。', wiQuote: '我方报价改为', wiQuoteTo: '我方报价改为{amount}', wiQuoteNeeded: '请以整数填写要尝试的报价，至少为1', wiMore: '四个问题、红旗及保存：见下方',
    wiRun: '查看影响', wiClear: '清除', wiSave: '保存这些变化', wiConfirm: '保存后，这些变化将作为事实记录，而非假设：此后评分、计划和流程都以此为准，商机上的每个人都会看到，并记在您的名下。请只保存您亲耳听到或亲眼见到的情况。', wiConfirmYes: '作为事实记录', wiConfirmNo: '仍作为假设', wiBefore: '当前', wiAfter: '变化后',
    wiChanges: '尝试的变化', wiNone: '尚未尝试任何变化。', wiFlagsAfter: '变化后的红旗', wiPeople: '变化后相关人员的评分', wiFlagNew: '新增', wiFlagCleared: '已消除', alsoWatch: '另需留意（{n}）',
    conflict: '{name}已被他人修改；已显示最新版本，您的输入已保留，请再次保存。',
    competitorKnown: '{name}已在竞争对手中：已为您选中。保存即可设置其在本商机中的态势。',
    oursRequired: '请勾选参与的我方人员：此次接触计入他们名下。',
    existingPerson: '人员', newPersonOption: '新人员（在下方填写姓名）',
    namesakeAtCustomer: '{customer}已有“{job}”：请在“人员”中选择此人，以保留其接触记录和关系；如确为同名的另一人，请再次点击添加。',
    namesakeOnChain: '“{job}”已在本决策链中：请在地图上选择此人；如确为同名的另一人，请再次点击添加。',
    placeChanged: '{name}在本商机中的角色、态度或影响力刚被他人修改：地图已显示最新情况。如仍需要，请重新修改。',
    placeGone: '{name}刚被他人移出本商机的决策链：您的修改未保存。',
    wiPlaceMoved: '{name}在本商机中的位置刚被他人修改：假设分析中的变化均未保存。对{name}的变化已撤下，其余仍保留为尝试；请先查看地图的最新情况，再重新保存。',
    wiPlaceGone: '{name}刚被他人移出本商机的决策链：假设分析中的变化均未保存。对{name}的变化已撤下，其余仍保留为尝试；请先查看地图的最新情况，再重新保存。',
    dropped: '{person}现在汇报给{manager}。', influenceSaved: '{from}现在影响{to}。', influenceKnown: '{from}已对{to}有影响（{strength}）：如需修改强度，请在{from}的面板中使用“添加影响关系”。',
    placeholder: '缺少：{role}', dept: '（未填部门）', ally: '{c}的盟友',
    legendAttitude: '填充色 = 态度（标签中的符号亦表示：++ 拥护 … −− 反对）',
    legendSize: '大小 = 有效影响力', legendRole: '标记 [..] = 决策角色',
    legendRing: '外环 = 我方覆盖（越粗越紧密；红色虚线 = 我方无人认识）',
    legendAlly: '竞争对手颜色的外轮廓 = 该竞争对手的盟友（标签中亦注明）',
    legendLines: '灰色实线 = 汇报关系（自上而下）；橙色虚线箭头 = 影响；绿色 = 我方人员的关系（越粗越紧密）',
    legendPlaceholder: '虚线框 = 决策链缺少的角色',
    legendLeft: '灰色虚线 = 已离任（作为历史保留，不再计入）',
    mapLeft: '↗ 于{day}离任', mapLeftTo: '↗ 于{day}离任 → {to}', leftSaid: '于{day}离任 · {how}', leftSaidTo: '于{day}离任 · {how} → {to}', leftList: '于{day}离任', leftListTo: '于{day}离任 → {to}', leftShort: '已离任',
    departureTitle: '人员离任', departureRecord: '记录离任',
    departureHelp: '只需记录一次，对该客户的所有商机同时生效：离任日期（事后才得知的，可填过去的日期）、离任方式，以及去向（如知道）。与其相关的未完成步骤将移出计划，此人不再参与该客户所有商机的评估。',
    departureHelpLeft: '此人作为历史保留在图上：其评分冻结在离任当日，不再计入。',
    departureUndoHelp: '记录有误？可撤销：此人重新计入，因此移出计划的步骤按原日期恢复。',
    departureUndo: '撤销此记录', departureDay: '离任日期', departureHow: '离任方式', departureTo: '去向（如知道）', departureToHint: '如：集团总部',
    departureDayMissing: '请填写离任日期。', departureHowMissing: '请选择离任方式。',
    departureRecorded: '已记录{name}离任，此人不再参与该客户所有商机的评估。移出计划的未完成步骤：{n}个。',
    departureUndone: '已撤销{name}的离任记录，此人重新计入。恢复的步骤：{n}个。',
    successorLabel: '继任者（现任）', successorUnknown: '尚未确认', successorSave: '保存', successorSaid: '继任者（现任）：{name}',
    successorHelp: '选择现在接手该岗位的人，并加入决策链：在此之前，该岗位按我方无人认识的人计。',
    successorSet: '{successor}已接任{name}的岗位。',
    successorSetOff: '{successor}已接任{name}的岗位。请将其加入决策链：在此之前，该岗位按我方无人认识的人计。',
    successorCleared: '{name}的继任者尚未确认：该岗位按我方无人认识的人计。',
    successorPlace: '将{successor}加入决策链：{as}', successorPlaced: '{successor}已接替{name}加入决策链：{as}。',
    successorGone: '{name}（已离任）', successorNotLoaded: '未能读取客户人员：请刷新页面后再选择。',
    askOpen: '继任者引荐：{owner}已在商机“{deal}”中负责请{name}引荐继任者，截止{due}。请勿另行联系，如有需求请补充到该事项。',
    askOpenElsewhere: '继任者引荐：{owner}已在另一商机中负责请{name}引荐继任者，截止{due}。请勿另行联系。',
    askDone: '继任者引荐已由{owner}在商机“{deal}”中于{on}完成。', askDoneElsewhere: '继任者引荐已由{owner}在另一商机中于{on}完成。',
    askRefused: '无法引荐继任者：{name}已拒绝（{owner}在商机“{deal}”中记录），不再建议。',
    askRefusedElsewhere: '无法引荐继任者：{name}已拒绝（{owner}在另一商机中记录），不再建议。',
    askNotNeeded: '商机“{deal}”已标记无需引荐；尚未联系{name}。', askNotNeededElsewhere: '另一商机已标记无需引荐；尚未联系{name}。', askSomeone: '我方人员',
    scoresFrozen: '离任当日评分（已冻结，不再计入）', successorStep: '为结识继任者铺路',
    keyPeople: '关键人物', allRedFlags: '全部红旗警示', moreOverleaf: '……另有 {n} 项，见下一页', dealSheetTitle: '商机一页纸', printedAt: '打印于 {d}', with: '对象', openWork: '未完成的工作计划',
    backToList: '← 商机管道', notFound: '该商机不存在或您无权查看。',
    readOnly: '您的角色可以查看此商机，但不能修改。',
    notLinked: '您的登录尚未关联我方团队成员，因此暂时没有可查看的商机。请管理员将其关联到您的团队成员身份。',
    sessionEnded: '会话已结束（令牌已过期或被吊销），请重新登录。',
    signedInAgain: '您已重新登录，刚才填写的内容仍在：请再提交一次。',
    requiredStep: '流程必做（不计赢单率）', dealTeam: '本商机的我方团队', teamEmpty: '本商机还没有我方人员：请添加客户经理、方案经理和交付经理（铁三角）。',
    teamAdd: '加入团队', teamAddHelp: '再次添加同一人员即可更改其角色或阶段。', teamDirectorHelp: '管理您的销售总监已能看到本商机并审批其流程；只有销售总监或管理员可以指定本商机的销售总监。', teamDirectorOnlyHelp: '只有销售总监或管理员可以指定本商机的销售总监。',
    teamMember: '团队成员', phase: '阶段', teamAdded: '{name}已作为{role}加入{deal}的团队。',
    teamRemoved: '{name}已不在{deal}的团队中。', remove: '移除', removeNamed: '移除{name}',
    teamRemoveAsk: '将{name}移出{deal}的团队？',
    teamRemoveAloneAsk: '将{name}移出{deal}的团队？铁三角将没有{role}。',
    teamRemoveSelfAsk: '将自己移出{deal}的团队？您可能将无法再查看此商机，且只能由他人将您重新加入。',
    teamRemoveSelfAloneAsk: '将自己移出{deal}的团队？铁三角将没有{role}；您可能将无法再查看此商机，且只能由他人将您重新加入。',
    teamRemoveYes: '移出', teamLeaveYes: '将我移出',
    teamAlreadyOff: '{name}已被他人移出{deal}的团队：已显示当前团队。',
    teamLeft: '您已不在{deal}的团队中。',
    dealCompetitors: '本商机的竞争对手', competitorsEmpty: '本商机尚未记录竞争对手。',
    competitorSet: '添加竞争对手或更改其态势', competitor: '竞争对手', newCompetitor: '新的竞争对手…',
    competitorName: '新竞争对手的名称', competitivePosition: '竞争态势', pricePosition: '价格',
    competitorAdded: '已将{name}记录为{deal}的竞争对手。', competitorChanged: '已保存{name}在{deal}上的态势。',
    competitorRemoved: '{name}已不再是{deal}的竞争对手。', competitorTie: '与竞争对手的关系',
    competitorTieSaved: '已记录{person}与{competitor}关系密切。', competitorTieRemoved: '已不再记录{person}与{competitor}关系密切。',
    noCompetitorsYet: '请先添加本商机的竞争对手（见“本商机的竞争对手”）。',
    teamTie: '我方认识此人的人', teamTieHelp: '我方认识{person}的人：能打电话约见、会被接待。记录接触会提高亲密度；我方有人已与其相识，请在此记录。',
    ourPerson: '我方人员', teamTieSaved: '已记录{member}认识{person}。', teamTieRemoved: '已不再记录{member}认识{person}。',
    dealDetails: '商机信息', questionsAsDecided: '以下为商机结束时四个问题的判断。', dealDecidedKept: '商机已有结果：其记录保持结束时的样子，仍可填写备注。', dealSaved: '已保存{name}的商机信息。', unknown: '未知',
    deal_amount: '商机金额', amountIn: '{label}（{unit}）', unitYuan: '元', deal_currency: '币种（ISO 代码）', deal_budget: '客户预算', deal_quoteAmount: '报价金额',
    deal_expectedCloseDate: '预计签约日期', deal_decisionProcessKnown: '决策流程已明确',
    deal_compellingEvent: '紧迫事件', deal_description: '说明', deal_presalesCost: '售前成本（赢单投入）',
    deal_deliveryCost: '交付成本', deal_deliveryRisk: '交付风险',
    whenRequired: '请填写活动的日期和时间。', typeRequired: '请选择接触类型。',
    outcomeRequired: '请选择接触结果。', whenNotYet: '该时间尚未到来：请在接触发生后再记录结果。', whenLongAgo: '该日期在{days}天前：年份是否填错？确认无误请再次提交。', whenLongAgoSave: '该日期在{days}天前：年份是否填错？确认无误请再次保存。', noMatch: '没有匹配的人。',
    errorGeneric: '出错了：{m}', networkError: '无法连接服务器。',
    mapEmpty: '此决策链尚无人员。', selectPerson: '在地图或列表中选择一个人。',
    changesTitle: '有何变化', changesSince: '自此日期起', changesBetween: '两个阶段关口之间',
    changesFromGate: '从', changesToGate: '到', changesShow: '查看变化',
    changesNoGates: '该商机记录的阶段关口不足两个', changesLoading: '正在读取历史…',
    changesNone: '此期间决策链没有变化。', changesNow: '现在',
    changesProcess: '阶段与流程', changesPeople: '人员', changesAttitudes: '态度', changesTies: '关系与紧密度',
    changesFlags: '红旗警示', changesOther: '商机、团队、竞争对手与活动',
    changesMovers: '对赢单概率影响最大的变化', points: '{d} 个百分点',
    changesTrendLabel: '期间赢单概率：开始 {from}，结束 {to}，共 {n} 个点',
    badgeAdded: '+ 新加入', badgeWarmer: '▲ 升温', badgeCooler: '▼ 降温', badgeChanged: '• 有变化',
    legendChanges: '光晕 = 在“有何变化”所选期间有变化（绿色：新加入或升温，红色：降温，蓝色：其他变化；标记注明类型）',
    legendFocus: '选择一个人（在地图上或列表中）即可近看此人及其关系；点“整个决策链”或按 Esc 键重新显示全部人员。过小而无法阅读的标签不显示：将指针移到人员上（或点一下）即可看到是谁。',
    // the TAS+ process (process.js)
    yes: '是', no: '否', nameList: '、', feasible: '方案可落地', workload: '工作量（人天）',
    reviewedQuote: '评审的报价（{currency}）', currentQuote: '当前报价：{amount}', reviewComment: '评审意见',
    recordReview: '记录评审',
    reviewStepDone: '已记录{deal}的交付评审：“{title}”随之完成。',
    whoReviews: '此评审由{names}（{role}）在商机上记录；记录评审后此事项即完成。',
    whoReviewsRework: '{names}（{role}）重新评审调整后的报价时，此事项即完成：请先调整范围或价格，再请其重新评审。',
    noDeliveryManager: '该商机团队中尚无{role}：请先将其加入团队，再由其记录此评审。',
    whoReviewsDeal: '交付评审由{names}（{role}）记录。',
    processTitle: '销售流程', stageSince: '阶段：{stage}（自 {date} 起）', lostToWhom: '丢单给{competitor}', lostWhy: '丢单', abandonedWhy: '放弃', movedFrom: '由“{stage}”变更至此', movedBy: '（{name}，{date}）', advanceTo: '推进到“{stage}”', advanced: '已推进到“{stage}”。',
    advanceRefused: '尚不能推进到“{stage}”：', triangleTitle: '铁三角（{phase}）', roleMissing: '缺少', roleElsewhere: '（{names}在“{phase}”阶段：如继续负责，请也加入本阶段团队）', colon: '：',
    partList: ' · ', rolesOr: '或', reviewTitle: '交付评审', reviewNone: '尚未评审。', reviewFeasible: '可落地',
    reviewNotFeasible: '不可落地', reviewDays: '{n} 人天', amountTooLarge: '金额过大：最多{most}，请核对', workloadTooLarge: '超过{most}人天，请核对', reviewQuote: '评审报价 {amount}', reviewBy: '评审人：{name}，{date}',
    reviewAgain: '重新评审', reviewRecorded: '已记录交付评审。', quoteTitle: '报价', quoteEnter: '在“商机信息”中填写报价金额', markSubmitted: '标记报价已提交',
    quoteSubmitted: '报价已标记为已提交。', quoteSubmittedOn: '已于{date}提交', quoteRefused: '报价尚不能提交：',
    approvalsTitle: '审批', noApprovals: '尚无审批申请。', requestedBy: '申请人：{name}，{date}',
    quoteMeanwhile: '报价其间已有变化（已提交或金额已改）：卡片显示的是当前状态', decidedByNamed: '由{roles}审批：{names}', decidedByUnstaffed: '由{roles}审批；本商机团队中尚无{missing}（见“本商机的我方团队”）', decidedByNobody: '商机已结束，不再审批：申请人可撤回', decidedByRequesterOnly: '由{roles}审批；申请人{name}是唯一能看到本商机的{roles}，而申请人不能审批自己的申请：请将另一位加入“本商机的我方团队”', decidedByNoneSees: '由{roles}审批；目前没有{roles}能看到本商机：请将一位加入“本商机的我方团队”', approve: '批准', reject: '驳回', decisionComment: '审批意见',
    approvedNote: '{process}：已批准。', rejectedNote: '{process}：已驳回。', violationsTitle: '未处理的违规',
    commitmentsTitle: '进行中的改正承诺', commitmentsHelp: '销售总监已接受改正期限的违规。期限次日（UTC）仍未改正的，将作为未兑现的承诺再次提出。',
    commitmentLine: '{name}承诺最迟于{date}改正；{agreed}。', commitmentMine: '您承诺最迟于{date}改正；{agreed}。', agreedBy: '{director}于{day}同意', agreedOn: '于{day}同意',
    validatedBy: '已由{director}于{day}认定为真实商机（{process}）。', validationPending: '已请销售总监认定是否为真实商机（{process}）：尚未决定。', notValidated: '尚未经销售总监认定为真实商机（{process}未批准）；这不影响评分。', validationProcess: 'TAS+1-1 创建商机流程',
    acknowledgedTitle: '已确认', acknowledgedHelp: '销售总监最近确认、未约定改正期限的违规：不再等待任何人；复查时原因仍在的，将再次提出。', acknowledgedLine: '{director}于{day}确认：“{note}”', acknowledgedLineNoOne: '于{day}确认：“{note}”',
    promiseInDays: '还剩 {days} 天', promiseTomorrow: '明天到期', promiseToday: '今天到期', promisePassed: '已逾期：若仍未改正，将在下次检查时再次提出',
    noViolations: '没有未处理的违规。', acknowledge: '确认', ackNote: '确认意见', acknowledgedNote: '违规已确认。',
    respond: '答复', respondAgain: '重新答复', respondNote: '已采取的措施', putRightBy: '改正期限',
    promisedLine: '承诺最迟于{date}改正：{days} 天，通常复查期为 {recheck} 天。', promisedLineOne: '承诺最迟于{date}改正：1 天，通常复查期为 {recheck} 天。', respondedNote: '答复已保存，等待销售总监确认。',
    responseLine: '{name}于{date}答复：“{note}”。', ackWaiting: '已答复，等待销售总监确认。',
    sendBack: '退回', sendBackNote: '该答复还缺少什么', sentBackDone: '答复已退回，重新等待{name}答复。', sentBackDoneTeam: '答复已退回，重新等待团队答复。',
    sentBackLine: '{name}于{date}退回答复：“{note}”。', responseWas: '原答复：“{note}”。',
    violationLine: '责任人：{name}，发现于 {date}',
    respondWho: '只有{name}可以答复；由销售总监确认。',
    withdraw: '撤回', withdrawnNote: '{process}：已撤回。', requestComment: '给审批人的说明', requestEmpty: '审批人只能依据您在此填写的内容作出判断，不填写则无从审批。请按下方提示填写，或再次提交以不附说明发出。', requestedEmpty: '申请时未附任何说明：审批前请让申请人补充所需内容。',
    decisionLine: '{state}（{name}，{date}）', neededTitle: '推进到“{stage}”所需的审批', gateTodo: '推进到“{stage}”前还需：', gateAndApproval: '以及下方的 1 项审批', gateAndApprovals: '以及下方的 {n} 项审批', gateApprovalsLeft: '“{stage}”所需的字段和动作已齐，尚缺下方的审批。', gateMet: '推进到“{stage}”所需的一切已齐备。', notRequested: '尚未申请',
    notRequestedPassed: '在“{stage}”阶段未申请，商机已越过该阶段',
    requestAgain: '{state}，可重新申请', requestApproval: '申请审批', requestedNote: '{process}：已提交申请。',
    requestOthersDecide: '申请由他人审批', ownRequestDecidedBy: '他人提交申请后，由您以{role}身份审批；您本人的申请由{names}审批。',
    ownRequestNobody: '他人提交申请后，由您以{role}身份审批；您本人的申请须由另一位{roles}审批，但目前没有这样的人能看到本商机（请在本商机的“我方团队”中加入一位）。',
    ownPendingDecidedBy: '此申请由您提交，您不能审批：由{names}审批。',
    ownPendingNobody: '此申请由您提交，须由另一位{roles}审批，但目前没有这样的人能看到本商机：请在本商机的“我方团队”中加入一位。',
    whoRequests: '由商机上的{roles}申请', anyoneRequests: '可由商机团队中的任何成员申请',
    timesheetHelp: '每行一条：团队成员，周（2026-W10），工时',
    reviewDiffers: '当前报价为 {current}：评审 {amount} 不能覆盖当前报价。',
    reviewUncovered: '此评审针对 {amount}，不覆盖当前报价 {current}：请{names}把报价改为评审的金额，或由交付经理评审当前报价。', reviewUncoveredRefused: '此评审认为 {amount} 不可落地；当前报价 {current} 是新的报价，等待交付经理评审。', reviewRefused: '按当前报价不可落地：请{names}与方案经理、交付经理一起调整范围或价格，再由交付经理重新评审；在此之前报价不能提交。',
    confirmAdvance: '确定将商机从“{from}”推进到“{to}”吗？', confirmAdvanceLacking: '“{to}”所需的条件尚未全部满足（见上方）：满足之前推进会被拒绝。仍要尝试将商机从“{from}”推进到“{to}”吗？', confirmAdvanceYes: '确定推进到“{stage}”', confirmAdvanceTry: '仍要尝试推进到“{stage}”',
    moveDealOpen: '丢单、放弃或退回上一阶段…', moveDealBack: '退回上一阶段…', reopenDeal: '重新开启商机…', moveTo: '变更商机阶段', closeLost: '丢单', closeAbandoned: '放弃（不再跟进）',
    moveBackTo: '退回到{stage}', reopenAt: '在{stage}重新开启', lostTo: '输给', notToCompetitor: '不是其中任何一家竞争对手', moveReason: '原因（必填）', moveDeal: '变更阶段', moveRefused: '未能变更到{stage}：', moved: '已变更到{stage}。',
    roleChanged: '您的角色已被更改：页面现仅显示该角色可做的操作。', staleCard: '此商机已被他人修改；销售流程卡片已显示最新内容，请核对后重试。',
    staleReview: '{name}已被他人修改，当前报价为 {amount}。表单已按最新内容显示，并保留了您填写的内容：请核对后再次记录评审。',
    waitingTitle: '等待您处理', waitingHelp: '您的商机上由您的角色审批的待审批申请、等待您交付评审的报价、交付评审认为不可落地而待您调整的报价、您被驳回的申请、由您负责的流程违规及您承诺的改正期限、等待您确认的违规答复、您团队本周到期或已逾期的改正承诺，以及团队因无人可做而放弃的步骤。', responseYours: '待确认', staffYours: '无人可做', staffSince: '团队已于{date}移出计划：请指派给一位同事。', staffWho: '请选择由哪位同事负责。', staffGive: '指派', staffOthers: '我方其他同事（将加入商机团队）', staffJoined: '{owner}已以{role}身份加入商机“{deal}”的团队。', staffGiven: '已将“{title}”指派给{owner}，已加入工作计划。', violationYours: '流程违规', commitmentYours: '您的承诺', commitmentTeam: '承诺到期', violationSince: '发现于{date}', violationAdvice: '请纠正，或在商机的流程卡片上答复已采取的措施。',
    rejectedYours: '您的申请被驳回', rejectedBy: '{name}于{date}作出此决定。', rejectedNext: '请修改后在商机的流程卡片上重新申请。', rejectedWhy: '理由：“{why}”。',
    otherRequest: '发起其他流程申请…', otherProcess: '流程',
    reviewWaiting: '报价的交付评审', reviewWaitingHelp: '{amount}：您评审之前不能提交给客户',
    dueTitle: '本阶段尚待完成的事项，及逾期即成流程违规的日期：', dueBy: '{date}截止', dueOverdue: '已于{date}逾期', dueWhose: '{name}（{date}截止）',
    reworkWaiting: '调整报价', reworkWaitingHelp: '{amount}：{name}于{date}评审认为按当前报价不可落地。请与方案经理、交付经理一起调整范围或价格，再请其重新评审。',
    noneOfYoursOne: '没有由您负责的未完成工作计划；您的商机上有 1 项由其他人负责：取消勾选“只看我的”即可查看。',
    // starting a deal (newdeal.js) and its empty chain
    newDeal: '新建商机', newDealTitle: '新建商机', newCustomerOption: '＋ 新客户',
    newDealHelp: '您将加入该商机的团队，随后打开它的地图：请在那里开始梳理决策链。',
    newDealHelpUnlinked: '您的登录未关联我方团队成员，因此不会加入团队：请在商机页添加客户经理。随后打开它的地图：请在那里开始梳理决策链。',
    customerSearch: '按名称搜索客户', newCustomer: '新客户', customerName: '客户名称',
    industry: '行业', region: '地区', dealName: '商机名称', createDeal: '创建商机',
    customerNameNeeded: '请填写新客户的名称。', dealNameNeeded: '请填写商机名称。',
    closeDatePast: '该日期已经过去：新商机的预计签约日期须为今天或之后。', closeDateFar: '超过 5 年以后（最晚为 {last}）：年份是否有误？',
    dealCreated: '已创建商机“{name}”。请开始梳理决策链：谁拍板，谁评估。',
    chainStartTitle: '开始梳理决策链', chainStartHelp: '此商机的决策链上还没有人。请先添加第一批关键人物：',
    chainStartDecides: '谁拍板', chainStartEvaluates: '谁评估方案和报价', chainStartBuys: '谁负责采购',
    chainStartCoach: '内部谁能为您指路',
    chainStartAfter: '地图、评分和建议都由此而来；缺少的角色会一直在地图上标出。',
    // the pipeline's filter bar, status and slipped deals (pipeline.js)
    all: '全部', noAccountManager: '无客户经理', filterPipeline: '筛选商机管道', stage: '阶段',
    filters: '筛选', filtersOn: '筛选（已选 {n} 项）',
    atRiskOnly: '只看有风险的', sortBy: '排序', sortClose: '预计签约日期，最近的在前',
    sortAmount: '金额，最大的在前', sortWeighted: '加权金额，最大的在前', sortLikelihood: '赢单概率，最高的在前',
    sortCloseRev: '预计签约日期，最晚的在前', sortAmountRev: '金额，最小的在前', sortWeightedRev: '加权金额，最小的在前',
    sortLikelihoodRev: '赢单概率，最低的在前', sort_date_asc: '最早的在前', sort_date_desc: '最晚的在前',
    sort_figure_desc: '最高的在前', sort_figure_asc: '最低的在前', sortReverse: '再次点击可反转顺序',
    clearFilters: '清除筛选', atRiskCount: '有风险 {n} 个', slippedCount: '已延误 {n} 个', stagesNav: '阶段',
    overview: '概览', violationsCard: '未处理的流程违规', violationsTotal: '{deals}共 {n} 条未处理',
    noOpenViolations: '没有未处理的流程违规。', unanswered: '未答复 {n} 条', answered: '已答复待总监确认 {n} 条',
    showConcerned: '只看相关的{deals}', showAllDeals: '重新显示全部商机', filterViolation: '流程违规',
    gateCard: '阶段门合规率', gateLine: '进行中的 {total} 个商机中有 {n} 个已通过所在阶段之前的全部关口', noOpenDeals: '没有进行中的商机。',
    resultsCard: '成交结果', periodQuarter: '本季度', periodLastQuarter: '上季度', period90: '最近 90 天',
    periodYear: '今年', periodSpan: '{from} 至 {to} 期间结束的商机', winRate: '赢单率', winRateWhy: '已决 {decided} 个，赢 {won} 个',
    noneDecided: '本期间没有赢单或丢单',
    enteredDecided: '未计入 {deals}：录入时已有结果（从其他系统迁入）',
    showingOf: '显示 {total} 个商机中的 {n} 个。', noMatchingDeals: '没有符合筛选条件的商机。',
    statusColumn: '状态', closedOn: '结束日期', slipped: '已延误',
    slippedWhy: '预计签约日期已过：请客户经理更新日期或商机。',
    onlyOverdue: '只看已逾期', workSummary: '未完成 {open} 项 · 已逾期 {overdue} 项 · 本周到期 {week} 项',
    byOwner: '按负责人：', ownerOpen: '未完成 {n} 项', ownerOverdue: '已逾期 {n} 项', everyone: '所有人',
    dealOrCustomer: '商机或客户', allDeals: '全部商机', allOfCustomer: '{name}的全部商机',
    noWorkMatches: '没有符合这些筛选条件的未完成工作计划。', showEveryItem: '显示全部未完成事项',
    showAll: '显示全部 {n} 项', group_overdue: '已逾期', group_week: '本周到期', group_later: '以后到期', group_none: '无截止日期',
    teamActivity: '团队动态', period: '期间', period7: '最近 7 天', periodWeek: '本周', periodLastWeek: '上周', period30: '最近 30 天',
    activityCount: '{from} 至 {to} 共 {n} 条活动，最新的在前', activityCountOne: '{from} 至 {to} 共 1 条活动',
    perMember: '每人活动数：', ours: '我方人员', nobodyOfOurs: '无我方人员', showMore: '显示更多（还有 {n} 条）',
    noActivities: '此期间您可查看的商机上没有活动。',
    ourPeople: '我方人员', ourPeopleHelp: '团队有哪些人、各向谁汇报、各在几个进行中的商机上，谁在何时离职。',
    ourPeopleHelpAdmin: '团队有哪些人、各向谁汇报（销售总监能看到其所管理人员的商机）、各在几个进行中的商机上，谁在何时离职。有人离职时，请交接其工作：由接任者接手其进行中的商机、客户和行动项。',
    openDeals: '进行中商机', openDealsSeen: '您可见的进行中商机', withUs: '在职', leftOn: '{day} 离职', handOver: '交接…', handOverNamed: '交接{name}的工作',
    handOverTitle: '{name}离职', handOverTo: '接任者',
    directorsLoseSight: '{directors}将看不到这些商机：他们作为{name}的上级查看其商机，而{successor}不在其团队中。如需让他们继续看到，请先把其中一位设为{successor}的上级：',
    reportsTo: '上级', addManager: '添加上级…', addManagerNamed: '为{name}添加上级', removeManagerNamed: '{manager}不再管理{name}',
    managerTitle: '{name}的上级', manager: '上级', managerConfirm: '设为上级',
    managerHelp: '销售总监能看到其直接或间接管理的所有人的商机，从其下一次请求起生效。',
    managerAdded: '{name}现在向{manager}汇报。', managerRemoved: '{name}不再向{manager}汇报。',
    logins: '登录', giveLogin: '开通登录…', giveLoginNamed: '为{name}开通登录', giveLoginTitle: '为{name}开通登录',
    giveLoginHelp: '该登录以此人的身份操作：看到其商机、执行其行动项。令牌只在这里显示一次，请交给本人。',
    newMember: '新增团队成员…', nobodyYet: '我方团队中还没有人。', nobodyYetAdmin: '我方团队中还没有人：请用“新增团队成员…”添加第一位。', noRoleYet: '暂无角色', changeRole: '修改', changeRoleNamed: '修改{name}的角色', changeRoleTitle: '{name}的角色', changeRoleHelp: '其在商机中的职责：销售总监审批其所管理人员商机上的各项申请；团队表单按角色提供人选。', changeRoleConfirm: '保存角色', memberRoleSet: '{name}现在是{role}。', roleChangedMeanwhile: '{name}的信息刚被他人修改：列表已重新读取；如仍需修改角色，请再次操作。', email: '电子邮件', addMember: '加入团队', memberAdded: '{name}已加入我方人员：请在其所在行设置上级并开通登录。',
    memberNamesake: '我方人员中已有{job}：如确为同名的另一人，请填写可区分二人的职务，然后再次点击添加。',
    memberNamesakes: '我方人员中已有{jobs}：如确为同名的另一人，请填写可与他们区分的职务，然后再次点击添加。',
    loginName: '登录名', loginRole: '角色', giveLoginConfirm: '开通登录', tokenLabelApp: '在我方人员页开通', tokenIssued: '“{label}”（{date}签发）',
    loginGiven: '{name}的登录 {login} 已开通', tokenGiven: '{name}的登录 {login} 的新令牌',
    newToken: '新令牌', newTokenNamed: '为{name}签发新令牌', tokenOnce: '请立即复制令牌并交给本人：它不会再次显示。如遗失，请用“新令牌”替换。',
    tokenKind: '现有令牌', tokenReplace: '替换（遗失或转交他人）：现有令牌立即失效', tokenAnother: '保留：新令牌用于另一台设备', tokenPurpose: '用途', tokenLabelHint: '如：手机、笔记本电脑', giveToken: '签发令牌',
    tokenFor: '{name}的令牌', copyToken: '复制', copied: '已复制', copyByHand: '请选中后手动复制', tokenCopiedDone: '我已复制',
    revokeToken: '吊销令牌{token}', revokeTokenNamed: '吊销{name}的令牌{token}', tokenRevoked: '{name}的令牌{token}已不能登录。',
    loginDisabled: '已停用',
    editLogin: '修改…', editLoginNamed: '修改登录{name}', editLoginTitle: '{name}的登录 {login}',
    loginAccess: '登录权限', loginEnabled: '可凭令牌登录', loginDisabledLong: '已停用：不能再登录',
    loginAccessHelp: '停用登录会立即吊销它的全部令牌。重新启用后，签发新令牌即可登录。',
    saveLogin: '保存', loginUnchanged: '{login}没有需要修改的内容。',
    loginRoleChanged: '{login}的角色已改为{role}。', loginDisabledNotice: '{login}已停用：它的令牌不能再登录。',
    loginEnabledNotice: '{login}已重新启用：请为它签发新令牌。',
    loginRole_admin: '管理员', loginRole_sales_director: '销售总监', loginRole_account_manager: '客户经理',
    loginRole_solution_manager: '方案经理', loginRole_delivery_manager: '交付经理', loginRole_service_manager: '服务经理',
    loginRole_lead_expert: '引领专家', loginRole_viewer: '只读用户',
    handOverHelp: '接任者接手{name}在进行中商机（{deals} 个）和客户团队中的位置，以及其未完成的行动项；已赢单和已丢单的商机仍保留{name}。{name}认识的关键人不再通过其联系：关系随人离开。{name}的登录立即停用。此操作不可撤销。',
    handOverConfirm: '交接并标记{name}离职', handedOverNotice: '{name}的工作已交给{successor}。',
    handedOverTitle: '{name}已离职，由{successor}接任', handedDeals: '进行中商机：', triangleGaps: '铁三角现在缺位的商机：', handedAccounts: '客户：',
    handedSteps: '转给接任者的行动项：', handedContacts: '转给接任者的计划接触：', changedMeanwhile: '{name}的工作刚被他人修改：列表已重新读取，请核对后再次交接。', tiesToRebuild: '需重新建立的关系：', alsoKnownBy: '{names}也认识', knownByNobody: '我方已无人认识', loginsStopped: '已停用的登录：',
  },
};

/** The language in use: the user's switch, else the browser's, else English. */
export function lang() {
  const chosen = localStorage.getItem(KEY);
  if (chosen && TEXTS[chosen]) return chosen;
  // a tag this page has no texts for ('zh', 'zh-TW', 'en-GB') reads as the nearest it has
  return (chosen || navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function setLang(value) { localStorage.setItem(KEY, value); }
export const languages = () => [['en', 'English'], ['zh-CN', '简体中文']];

/** A text by key with {placeholders} filled in. */
/** Whether ``text`` is the text of ``key`` in any language: something the app itself stored in
 * its user's language then (a token's label), to be shown in the reader's. */
export const isTextOf = (key, text) => Object.values(TEXTS).some((texts) => texts[key] === text);

export function t(key, vars = {}) {
  const text = TEXTS[lang()][key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** A text kept by its source, so that a banner still up when the language changes is said again
 * in the new one rather than left in the old: ``said(key, vars)`` one of the page's own texts
 * (a var may itself be a source), ``saidBoth(en, zh)`` one the API gave in both languages;
 * ``say(source)`` is the text in the language now (a plain string as it is). */
export const said = (key, vars = {}) => () => t(key, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, say(v)])));
export const saidBoth = (en, zh) => () => ((lang() === 'zh-CN' ? zh : en) || en || zh || '');
export const say = (source) => (typeof source === 'function' ? source() : source);
/** Sentences one after another, as each language writes them: after a full stop a space in
 * English and nothing in Chinese (its full stop is a full-width character of its own); after a
 * text without one (a refusal is often a clause), a semicolon. */
export const sentences = (list) => {
  const zh = lang() === 'zh-CN';
  return list.filter(Boolean).reduce((text, next) => {
    if (!text) return next;
    const ended = zh ? /[。！？]$/.test(text) : /[.!?]$/.test(text);
    return `${text}${ended ? (zh ? '' : ' ') : (zh ? '；' : '; ')}${next}`;
  }, '');
};
/** A refusal's messages (userErrors), each by the both languages the API gave, joined by ``glue``
 * (a function of the messages, ``sentences`` by default). */
export const saidErrors = (errors, glue = sentences) =>
  () => glue(errors.map((e) => say(e.messageEn || e.messageZh ? saidBoth(e.messageEn, e.messageZh) : e.message)));

/** A text by key as pieces, its {placeholders} kept as given: an element (a day that must not
 * wrap) goes into the page as itself. */
export function pieces(key, vars = {}) {
  const text = TEXTS[lang()][key] ?? TEXTS.en[key] ?? key;
  return text.split(/\{(\w+)\}/).map((piece, i) => (i % 2 ? vars[piece] ?? '' : piece)).filter((piece) => piece !== '');
}

/** Remember the enum labels the API sent (vocabulary query). */
export function setVocabulary(list) {
  vocabulary = Object.fromEntries(list.map((v) => [v.name, Object.fromEntries(v.values.map((x) => [x.value, x]))]));
}

/** The label of an enum value in the page's language. */
export function label(enumName, value) {
  const entry = vocabulary[enumName]?.[value];
  if (!entry) return value ?? '';
  return lang() === 'zh-CN' ? entry.labelZh : entry.labelEn;
}

/** A label and its value, "Owner: 苏婉清" / "负责人：苏婉清". */
/** A quoted comment without its own full stop: the sentence quoting it ends it once. */
export const unended = (text) => text.trim().replace(/[.。!！]+$/u, '');
export const labelled = (text, value) => `${text}${lang() === 'zh-CN' ? '：' : ': '}${value}`;
/** An aside in brackets after a text, " (x)" / "（x）"; ``asideOf`` holds elements too (a day
 * kept on one line), as a list to append. */
export const asideOf = (...inner) => (lang() === 'zh-CN' ? ['（', ...inner, '）'] : [' (', ...inner, ')']);
export const aside = (x) => asideOf(x).join('');
/** Items one after another, "a, b" / "a、b". */
export const listOf = (items) => items.join(lang() === 'zh-CN' ? '、' : ', ');
/** Sentences one after another, "a; b" / "a；b". */
export const clauses = (items) => items.join(lang() === 'zh-CN' ? '；' : '; ');
const sameName = (a, b) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
/** What tells one of our people from a namesake in ``all`` (their title, else their e-mail);
 * null when nobody else there has their name. */
export function tellApart(p, all) {
  const twin = all.some((o) => o.id !== p.id && sameName(o.name ?? '', p.name ?? ''));
  return twin ? (p.title || p.email || null) : null;
}
/** A key person as a picker shows them: name, and the job that tells two namesakes apart. */
export const personChoice = (p) => `${p.name}${[p.title, p.department].some(Boolean) ? ` · ${listOf([p.title, p.department].filter(Boolean))}` : ''}`;

/** One of our people as a picker or a filter offers them: the name, then in brackets, when
 * someone else in ``all`` has the same name, what tells the two apart (their title, else their
 * e-mail), and ``more`` (their role on the team, a count) — "李明（大客户经理、客户经理）". */
export function memberChoice(p, all = [], ...more) {
  const inner = [tellApart(p, all), ...more].filter((x) => x != null && x !== '').map(String);
  return inner.length ? `${p.name}${aside(listOf(inner))}` : p.name;
}
/** One of our people where their name is only shown (an owner, who asked, a box on the map):
 * told apart like a picker tells them (``memberChoice``) when someone else among ``all``, the
 * people the page knows, has the same name, a unique name bare. ``all``'s record of them (with
 * title and e-mail) stands in for one that only names them; none gives null. */
export function nameOf(p, all = []) {
  if (!p) return null;
  return memberChoice((p.id && all.find((o) => o.id === p.id)) || p, all);
}
/** A day as the API writes dates (YYYY-MM-DD, local calendar): the same on screen and paper. */
export const isoDay = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
/** The start of the week ``date`` falls in (Monday, 00:00 local): weeks start on Monday. */
export function weekStart(date) {
  const monday = new Date(date);
  monday.setHours(0, 0, 0, 0);
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  return monday;
}
/** An instant's day as the API writes dates, like the due and close dates beside it (– for none). */
export const dayOf = (iso) => (iso ? isoDay(new Date(iso)) : '–');
/** The calendar day (UTC) of an instant, as the API counts a promise's days. */
export const utcDay = (at) => new Date(at).toISOString().slice(0, 10);
/** Whole days from one day (YYYY-MM-DD) to another, negative when ``to`` comes first. */
export const daysBetween = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

export const enumValues = (enumName) => Object.keys(vocabulary[enumName] ?? {});
export const percent = (x, digits = 0) => (x == null ? '–' : `${digits ? (x * 100).toFixed(digits) : Math.round(x * 100)} %`);
/** A likelihood as shown to a tenth of a point: a change written beside two such figures is
    their difference, so that "20.4 % → 24.1 %" reads "+3.7 pts" and adds up. */
export const toTenth = (x) => Math.round(x * 1000) / 1000;
/** The deployment's main currency: a deal without one counts in it, and sums list it first. */
export const MAIN_CURRENCY = 'CNY';
/** An amount in minor units as money. English writes the US dollar "US$", not "$": beside
 * "CN¥" a bare dollar sign would leave the reader guessing. */
export function money(amount, currency) {
  if (amount == null) return '–';
  const code = currency || MAIN_CURRENCY;
  return new Intl.NumberFormat(lang(), { style: 'currency', currency: code, maximumFractionDigits: 0 }).formatToParts(amount / 100)
    .map((part) => (part.type === 'currency' && part.value === '$' ? `${code.slice(0, 2)}$` : part.value)).join('');
}
/** An instant as day and minute, the day written as the API writes days (2026-11-19 14:00). */
export function dateTime(iso) {
  if (!iso) return t('never');
  const local = new Date(iso);
  return `${isoDay(local)} ${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
}

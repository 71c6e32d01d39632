// The programmes list (home page).
const en = {
  pageTitle: "Programmes · Safety perception surveys",
  heading: "Programmes",
  lede: "How safe people feel, programme by programme.",
  none: "You are not a member of any programme yet.",
  create: "Create a programme",
  askAdmin: "Ask an administrator to add you to the programme you work on.",
  noCountry: "No country set",
  communities: "{n, plural, one {# community} other {# communities}}",
  facilitator: "facilitator",
  manager: "manager",
  administrator: "administrator",
};
export type ProgrammesWords = typeof en;

export const programmes: { en: ProgrammesWords; fr: ProgrammesWords; ar: ProgrammesWords } = {
  en,
  fr: {
    pageTitle: "Programmes · Enquêtes sur le sentiment de sécurité",
    heading: "Programmes",
    lede: "Le sentiment de sécurité des gens, programme par programme.",
    none: "Vous n’êtes encore membre d’aucun programme.",
    create: "Créer un programme",
    askAdmin: "Demandez à un administrateur de vous ajouter au programme sur lequel vous travaillez.",
    noCountry: "Pays non renseigné",
    communities: "{n, plural, one {# communauté} other {# communautés}}",
    facilitator: "animateur",
    manager: "responsable",
    administrator: "administrateur",
  },
  ar: {
    pageTitle: "البرامج · استبيانات الشعور بالأمان",
    heading: "البرامج",
    lede: "مدى شعور الناس بالأمان، برنامجًا برنامجًا.",
    none: "لست عضوًا في أي برنامج بعد.",
    create: "إنشاء برنامج",
    askAdmin: "اطلب من أحد المسؤولين إضافتك إلى البرنامج الذي تعمل عليه.",
    noCountry: "لم يُحدَّد البلد",
    communities: "{n, plural, zero {لا مجتمعات} one {مجتمع واحد} two {مجتمعان} few {# مجتمعات} many {# مجتمعًا} other {# مجتمع}}",
    facilitator: "ميسّر",
    manager: "مدير",
    administrator: "مسؤول",
  },
};

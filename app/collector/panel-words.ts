// The facilitator panel's device status line, install card, tablet name and session facilitator, in the
// languages facilitators work in (the rest of the panel is still English; it uses these in English
// until it follows the facilitator's language).
const panelEn = {
  offlinePending: "Preparing the offline copy…",
  offlineReady: "Offline copy ready",
  offlineNotSecure: "No offline copy on a plain http address (https is needed): keep this page open",
  offlineUnsupported: "No offline copy: this browser cannot keep one, so keep this page open",
  offlineFailed: "Offline copy not ready: open this page once more while connected",
  storagePersistent: "storage persistent",
  storageRefused: "storage not persistent: the browser may clear unsent answers, so install the app and sync often",
  storageUnsupported: "storage not persistent: sync often",
  installTitle: "Install as an app",
  installPrompt: "Install the survey as an app on this tablet: it opens full screen, offline too, and the browser keeps its answers.",
  installButton: "Install the app",
  installIos: "On an iPhone or iPad: tap Share, then “Add to Home Screen”, and open the survey from that icon from now on.",
  installNone: "This browser does not offer to install here. In its menu, look for “Install app” or “Add to Home screen”.",
  deviceName: "Name of this tablet",
  deviceNamePlaceholder: "e.g. Tablet 3",
  deviceNameHint: "Written on each session and response from this tablet, so a supervisor can tell which tablet collected what.",
  tablet: "tablet “{name}”",
  facilitator: "Facilitator",
  notRecorded: "Not recorded",
};
type PanelWords = typeof panelEn;
const panelTables: Record<string, Partial<PanelWords>> = {
  en: panelEn,
  fr: {
    offlinePending: "Préparation de la copie hors ligne…",
    offlineReady: "Copie hors ligne prête",
    offlineNotSecure: "Pas de copie hors ligne sur une adresse en http simple (https est nécessaire) : gardez cette page ouverte",
    offlineUnsupported: "Pas de copie hors ligne : ce navigateur ne peut pas en garder, gardez donc cette page ouverte",
    offlineFailed: "Copie hors ligne pas prête : ouvrez encore une fois cette page avec une connexion",
    storagePersistent: "stockage persistant",
    storageRefused: "stockage non persistant : le navigateur peut effacer les réponses non envoyées, installez donc l’application et synchronisez souvent",
    storageUnsupported: "stockage non persistant : synchronisez souvent",
    installTitle: "Installer comme application",
    installPrompt: "Installez le questionnaire comme application sur cette tablette : il s’ouvre en plein écran, hors ligne aussi, et le navigateur garde ses réponses.",
    installButton: "Installer l’application",
    installIos: "Sur un iPhone ou un iPad : touchez Partager, puis « Sur l’écran d’accueil », et ouvrez désormais le questionnaire depuis cette icône.",
    installNone: "Ce navigateur ne propose pas l’installation ici. Dans son menu, cherchez « Installer l’application » ou « Ajouter à l’écran d’accueil ».",
    deviceName: "Nom de cette tablette",
    deviceNamePlaceholder: "p. ex. Tablette 3",
    deviceNameHint: "Inscrit sur chaque séance et chaque réponse de cette tablette, pour qu’un superviseur sache quelle tablette a collecté quoi.",
    tablet: "tablette « {name} »",
    facilitator: "Animateur",
    notRecorded: "Non indiqué",
  },
  ar: {
    offlinePending: "جارٍ تجهيز النسخة غير المتصلة…",
    offlineReady: "النسخة غير المتصلة جاهزة",
    offlineNotSecure: "لا نسخة غير متصلة على عنوان http عادي (يلزم https): أبقِ هذه الصفحة مفتوحة",
    offlineUnsupported: "لا توجد نسخة غير متصلة: هذا المتصفح لا يستطيع حفظها، فأبقِ هذه الصفحة مفتوحة",
    offlineFailed: "النسخة غير المتصلة ليست جاهزة: افتح هذه الصفحة مرة أخرى وأنت متصل",
    storagePersistent: "التخزين دائم",
    storageRefused: "التخزين غير دائم: قد يمحو المتصفح الإجابات غير المرسلة، فثبّت التطبيق وزامن كثيرًا",
    storageUnsupported: "التخزين غير دائم: زامن كثيرًا",
    installTitle: "التثبيت كتطبيق",
    installPrompt: "ثبّت الاستبيان كتطبيق على هذا الجهاز: يفتح بملء الشاشة، دون اتصال أيضًا، ويحفظ المتصفح إجاباته.",
    installButton: "تثبيت التطبيق",
    installIos: "على iPhone أو iPad: اضغط «مشاركة» ثم «إضافة إلى الشاشة الرئيسية»، وافتح الاستبيان من تلك الأيقونة من الآن فصاعدًا.",
    installNone: "هذا المتصفح لا يعرض التثبيت هنا. ابحث في قائمته عن «تثبيت التطبيق» أو «إضافة إلى الشاشة الرئيسية».",
    deviceName: "اسم هذا الجهاز",
    deviceNamePlaceholder: "مثلًا: الجهاز 3",
    deviceNameHint: "يُكتب على كل جلسة وكل إجابة من هذا الجهاز، ليعرف المشرف أي جهاز جمع ماذا.",
    tablet: "الجهاز «{name}»",
    facilitator: "الميسّر",
    notRecorded: "غير مسجّل",
  },
};

export function panelWords(lang: string): PanelWords {
  const primary = lang.toLowerCase().split(/[-_]/)[0];
  return { ...panelEn, ...(panelTables[lang] ?? panelTables[primary] ?? {}) };
}

import type { Career } from '../model.ts';

/**
 * Careers the diagnostic can recommend.
 *
 * `profile` is where a typical, satisfied practitioner sits on each dimension (0..100
 * toward E, S, T, J); it is an editorial estimate from the job's daily demands, not
 * survey data, so values stay between 15 and 90 — every trade has people of every type.
 *
 * `aiResilience` estimates how much of the job's value survives automation by AI over
 * the next decade: physical dexterity in unpredictable places, care, trust and legal
 * accountability score high; routine text, data and rule-following work scores low.
 */
export const CAREERS: readonly Career[] = [
  // — Technology —
  {
    id: 'software-engineer',
    title: { en: 'Software engineer', fr: 'Ingénieur / Ingénieure logiciel' },
    description: {
      en: 'Designs, builds and maintains the software that products and organisations run on.',
      fr: 'Conçoit, développe et maintient les logiciels sur lesquels reposent les produits et les organisations.',
    },
    skills: ['programming', 'system design', 'debugging', 'code review', 'testing'],
    profile: { EI: 35, SN: 40, TF: 70, JP: 55 },
    aiResilience: 55,
    aiResilienceRationale:
      'AI writes more routine code every year, but architecture, judgement and accountability for production systems stay human.',
    growthOutlook: 'growing',
  },
  {
    id: 'data-scientist',
    title: { en: 'Data scientist', fr: 'Data scientist' },
    description: {
      en: 'Turns raw data into models and insights that guide decisions.',
      fr: 'Transforme des données brutes en modèles et en analyses qui éclairent les décisions.',
    },
    skills: ['statistics', 'Python', 'machine learning', 'data visualisation', 'communication'],
    profile: { EI: 35, SN: 30, TF: 75, JP: 55 },
    aiResilience: 50,
    aiResilienceRationale:
      'Automated analysis tools commoditise routine modelling; framing the right question and defending the answer remain human work.',
    growthOutlook: 'growing',
  },
  {
    id: 'machine-learning-engineer',
    title: {
      en: 'Machine learning engineer',
      fr: 'Ingénieur / Ingénieure en apprentissage automatique',
    },
    description: {
      en: 'Builds, trains and deploys the AI models that power intelligent products.',
      fr: 'Construit, entraîne et déploie les modèles d’IA qui animent les produits intelligents.',
    },
    skills: ['deep learning', 'Python', 'MLOps', 'mathematics', 'evaluation design'],
    profile: { EI: 35, SN: 25, TF: 80, JP: 55 },
    aiResilience: 70,
    aiResilienceRationale:
      'Demand grows with AI itself, and supervising, evaluating and securing models needs human experts.',
    growthOutlook: 'booming',
  },
  {
    id: 'cybersecurity-analyst',
    title: { en: 'Cybersecurity analyst', fr: 'Analyste en cybersécurité' },
    description: {
      en: 'Protects an organisation’s systems and data by detecting, investigating and stopping attacks.',
      fr: 'Protège les systèmes et les données d’une organisation en détectant, analysant et bloquant les attaques.',
    },
    skills: ['threat analysis', 'networking', 'incident response', 'risk assessment', 'forensics'],
    profile: { EI: 35, SN: 55, TF: 75, JP: 65 },
    aiResilience: 72,
    aiResilienceRationale:
      'Attackers use AI too, so the field is an arms race where human investigators and accountable decision-makers stay essential.',
    growthOutlook: 'booming',
  },
  {
    id: 'ux-designer',
    title: { en: 'UX designer', fr: 'Designer UX' },
    description: {
      en: 'Researches users’ needs and designs digital products that are easy and pleasant to use.',
      fr: 'Étudie les besoins des utilisateurs et conçoit des produits numériques simples et agréables à utiliser.',
    },
    skills: ['user research', 'prototyping', 'interaction design', 'empathy', 'usability testing'],
    profile: { EI: 50, SN: 30, TF: 35, JP: 45 },
    aiResilience: 50,
    aiResilienceRationale:
      'AI generates screens quickly, but understanding real users and arbitrating trade-offs needs human research and taste.',
    growthOutlook: 'stable',
  },
  {
    id: 'site-reliability-engineer',
    title: {
      en: 'Site reliability engineer',
      fr: 'Ingénieur / Ingénieure en fiabilité des systèmes (SRE)',
    },
    description: {
      en: 'Keeps large online services fast and available by automating operations and handling incidents.',
      fr: 'Assure la rapidité et la disponibilité de grands services en ligne en automatisant l’exploitation et en gérant les incidents.',
    },
    skills: ['cloud infrastructure', 'automation', 'monitoring', 'incident management', 'Linux'],
    profile: { EI: 40, SN: 60, TF: 75, JP: 70 },
    aiResilience: 62,
    aiResilienceRationale:
      'Much operational toil is being automated, yet someone must own reliability and take decisions during outages.',
    growthOutlook: 'growing',
  },
  {
    id: 'it-support-technician',
    title: { en: 'IT support technician', fr: 'Technicien / Technicienne support informatique' },
    description: {
      en: 'Helps colleagues solve hardware, software and network problems so they can keep working.',
      fr: 'Aide les collaborateurs à résoudre leurs problèmes de matériel, de logiciel et de réseau pour qu’ils puissent continuer à travailler.',
    },
    skills: ['troubleshooting', 'hardware', 'customer service', 'networking basics'],
    profile: { EI: 55, SN: 75, TF: 55, JP: 55 },
    aiResilience: 40,
    aiResilienceRationale:
      'Chatbots absorb first-level tickets; on-site hardware work and tricky cases keep part of the role.',
    growthOutlook: 'stable',
  },
  {
    id: 'product-manager',
    title: { en: 'Product manager', fr: 'Product manager' },
    description: {
      en: 'Decides what a product should do next and aligns designers, engineers and the business behind it.',
      fr: 'Décide des prochaines évolutions d’un produit et fédère designers, développeurs et équipes métier autour de ces choix.',
    },
    skills: [
      'prioritisation',
      'user research',
      'stakeholder management',
      'roadmapping',
      'analytics',
    ],
    profile: { EI: 70, SN: 35, TF: 60, JP: 60 },
    aiResilience: 65,
    aiResilienceRationale:
      'Choosing what to build and negotiating it between people is judgement and influence work that AI assists but does not own.',
    growthOutlook: 'growing',
  },
  {
    id: 'data-entry-clerk',
    title: { en: 'Data entry clerk', fr: 'Opérateur / Opératrice de saisie' },
    description: {
      en: 'Enters and checks information in databases and administrative systems.',
      fr: 'Saisit et vérifie des informations dans des bases de données et des systèmes administratifs.',
    },
    skills: ['typing accuracy', 'attention to detail', 'spreadsheets', 'confidentiality'],
    profile: { EI: 30, SN: 85, TF: 55, JP: 75 },
    aiResilience: 5,
    aiResilienceRationale:
      'Document recognition and AI extraction already automate most structured data entry.',
    growthOutlook: 'declining',
  },
  // — Health and care —
  {
    id: 'registered-nurse',
    title: { en: 'Registered nurse', fr: 'Infirmier / Infirmière' },
    description: {
      en: 'Cares for patients, administers treatments and coordinates with doctors around the clock.',
      fr: 'Soigne les patients, administre les traitements et travaille en lien étroit avec les médecins, jour et nuit.',
    },
    skills: [
      'clinical care',
      'patient assessment',
      'empathy',
      'teamwork',
      'composure under pressure',
    ],
    profile: { EI: 60, SN: 75, TF: 30, JP: 65 },
    aiResilience: 90,
    aiResilienceRationale:
      'Hands-on care, physical assessment and human reassurance at the bedside cannot be delegated to software.',
    growthOutlook: 'growing',
  },
  {
    id: 'general-practitioner',
    title: { en: 'General practitioner', fr: 'Médecin généraliste' },
    description: {
      en: 'Diagnoses and treats a wide range of health problems and follows patients over the years.',
      fr: 'Diagnostique et traite un large éventail de problèmes de santé et suit ses patients dans la durée.',
    },
    skills: ['diagnosis', 'clinical reasoning', 'listening', 'prescribing', 'prevention'],
    profile: { EI: 55, SN: 60, TF: 55, JP: 70 },
    aiResilience: 82,
    aiResilienceRationale:
      'AI supports diagnosis, but examination, trust and medical responsibility remain with the doctor.',
    growthOutlook: 'growing',
  },
  {
    id: 'physiotherapist',
    title: { en: 'Physiotherapist', fr: 'Masseur-kinésithérapeute' },
    description: {
      en: 'Restores movement and relieves pain through exercise, manual therapy and education.',
      fr: 'Rétablit la mobilité et soulage la douleur par l’exercice, la thérapie manuelle et l’éducation du patient.',
    },
    skills: ['anatomy', 'manual therapy', 'exercise prescription', 'motivation', 'observation'],
    profile: { EI: 60, SN: 75, TF: 35, JP: 60 },
    aiResilience: 92,
    aiResilienceRationale:
      'Treatment is physical and relational, delivered with the therapist’s hands and presence.',
    growthOutlook: 'growing',
  },
  {
    id: 'pharmacist',
    title: { en: 'Pharmacist', fr: 'Pharmacien / Pharmacienne' },
    description: {
      en: 'Dispenses medicines safely and advises patients and doctors on their use.',
      fr: 'Délivre les médicaments en toute sécurité et conseille patients et médecins sur leur bon usage.',
    },
    skills: [
      'pharmacology',
      'precision',
      'patient counselling',
      'regulation',
      'interaction checks',
    ],
    profile: { EI: 45, SN: 80, TF: 60, JP: 75 },
    aiResilience: 55,
    aiResilienceRationale:
      'Dispensing and interaction checks are increasingly automated; counselling and legal responsibility stay human.',
    growthOutlook: 'stable',
  },
  {
    id: 'psychologist',
    title: { en: 'Clinical psychologist', fr: 'Psychologue clinicien / clinicienne' },
    description: {
      en: 'Assesses and treats emotional and mental health difficulties through therapy.',
      fr: 'Évalue et accompagne les difficultés émotionnelles et psychiques par la psychothérapie.',
    },
    skills: ['active listening', 'psychological assessment', 'therapy techniques', 'ethics'],
    profile: { EI: 40, SN: 30, TF: 25, JP: 50 },
    aiResilience: 85,
    aiResilienceRationale:
      'The therapeutic relationship itself is the treatment, and it rests on human trust and responsibility.',
    growthOutlook: 'growing',
  },
  {
    id: 'medical-lab-technician',
    title: {
      en: 'Medical laboratory technician',
      fr: 'Technicien / Technicienne de laboratoire médical',
    },
    description: {
      en: 'Runs the tests on blood and tissue samples that doctors rely on for diagnosis.',
      fr: 'Réalise les analyses de sang et de tissus sur lesquelles s’appuient les médecins pour poser un diagnostic.',
    },
    skills: ['laboratory techniques', 'quality control', 'precision', 'biology'],
    profile: { EI: 30, SN: 80, TF: 65, JP: 75 },
    aiResilience: 40,
    aiResilienceRationale:
      'Analysers and image recognition automate much of the routine testing, leaving quality control and unusual cases.',
    growthOutlook: 'stable',
  },
  {
    id: 'dentist',
    title: { en: 'Dentist', fr: 'Chirurgien-dentiste / Chirurgienne-dentiste' },
    description: {
      en: 'Prevents, diagnoses and treats diseases of the teeth and mouth.',
      fr: 'Prévient, diagnostique et soigne les maladies des dents et de la bouche.',
    },
    skills: ['manual dexterity', 'diagnosis', 'patient care', 'precision', 'practice management'],
    profile: { EI: 45, SN: 75, TF: 60, JP: 70 },
    aiResilience: 88,
    aiResilienceRationale:
      'Fine manual procedures inside a patient’s mouth and clinical responsibility resist automation.',
    growthOutlook: 'stable',
  },
  {
    id: 'paramedic',
    title: { en: 'Paramedic', fr: 'Ambulancier / Ambulancière' },
    description: {
      en: 'Provides emergency care on site and transports patients safely to hospital.',
      fr: 'Prodigue les premiers soins d’urgence sur place et transporte les patients en toute sécurité jusqu’à l’hôpital.',
    },
    skills: ['emergency care', 'driving', 'composure under pressure', 'teamwork', 'triage'],
    profile: { EI: 60, SN: 85, TF: 50, JP: 45 },
    aiResilience: 93,
    aiResilienceRationale:
      'Emergencies happen in unpredictable physical settings that demand hands-on human intervention.',
    growthOutlook: 'growing',
  },
  {
    id: 'care-assistant',
    title: { en: 'Care assistant', fr: 'Aide-soignant / Aide-soignante' },
    description: {
      en: 'Helps elderly, sick or disabled people with daily care and comfort.',
      fr: 'Accompagne les personnes âgées, malades ou handicapées dans les soins et le confort du quotidien.',
    },
    skills: ['personal care', 'patience', 'observation', 'empathy', 'hygiene'],
    profile: { EI: 55, SN: 80, TF: 20, JP: 55 },
    aiResilience: 94,
    aiResilienceRationale:
      'Intimate physical care and companionship are among the least automatable tasks, and ageing populations need more of them.',
    growthOutlook: 'booming',
  },
  {
    id: 'occupational-therapist',
    title: { en: 'Occupational therapist', fr: 'Ergothérapeute' },
    description: {
      en: 'Helps people regain independence in daily life after illness, injury or disability.',
      fr: 'Aide les personnes à retrouver leur autonomie au quotidien après une maladie, un accident ou en situation de handicap.',
    },
    skills: ['functional assessment', 'adaptive equipment', 'creativity', 'empathy'],
    profile: { EI: 55, SN: 55, TF: 30, JP: 55 },
    aiResilience: 90,
    aiResilienceRationale:
      'Work happens in patients’ homes and bodies, tailored case by case with human judgement.',
    growthOutlook: 'growing',
  },
  {
    id: 'veterinarian',
    title: { en: 'Veterinarian', fr: 'Vétérinaire' },
    description: {
      en: 'Diagnoses and treats animals and advises their owners on health and welfare.',
      fr: 'Diagnostique et soigne les animaux et conseille leurs propriétaires sur leur santé et leur bien-être.',
    },
    skills: ['animal medicine', 'surgery', 'diagnosis', 'client communication', 'calm handling'],
    profile: { EI: 45, SN: 70, TF: 45, JP: 60 },
    aiResilience: 88,
    aiResilienceRationale:
      'Examining and operating on animals that cannot describe their symptoms is deeply hands-on work.',
    growthOutlook: 'stable',
  },
  // — Skilled trades —
  {
    id: 'electrician',
    title: { en: 'Electrician', fr: 'Électricien / Électricienne' },
    description: {
      en: 'Installs and repairs electrical systems in homes, businesses and industrial sites.',
      fr: 'Installe et répare les installations électriques des logements, des entreprises et des sites industriels.',
    },
    skills: [
      'wiring',
      'safety standards',
      'blueprint reading',
      'troubleshooting',
      'manual dexterity',
    ],
    profile: { EI: 40, SN: 85, TF: 65, JP: 60 },
    aiResilience: 93,
    aiResilienceRationale:
      'Every site is different and physical, and electrification of heating and transport keeps raising demand.',
    growthOutlook: 'booming',
  },
  {
    id: 'plumber',
    title: { en: 'Plumber', fr: 'Plombier / Plombière' },
    description: {
      en: 'Installs and repairs water, gas and heating pipework in buildings.',
      fr: 'Installe et répare les canalisations d’eau, de gaz et de chauffage des bâtiments.',
    },
    skills: ['pipefitting', 'diagnosis', 'manual dexterity', 'customer relations'],
    profile: { EI: 45, SN: 90, TF: 60, JP: 50 },
    aiResilience: 95,
    aiResilienceRationale:
      'Repairs in cramped, unpredictable spaces need human hands and improvisation that robots cannot match.',
    growthOutlook: 'growing',
  },
  {
    id: 'carpenter',
    title: { en: 'Carpenter and joiner', fr: 'Menuisier / Menuisière' },
    description: {
      en: 'Makes and fits wooden structures, fittings and furniture.',
      fr: 'Fabrique et pose des structures, des aménagements et des meubles en bois.',
    },
    skills: ['woodworking', 'measuring', 'technical drawing', 'tool handling', 'finishing'],
    profile: { EI: 35, SN: 85, TF: 55, JP: 55 },
    aiResilience: 88,
    aiResilienceRationale:
      'Fitting and custom craftsmanship on site remain manual, even as workshop cutting is automated.',
    growthOutlook: 'stable',
  },
  {
    id: 'automotive-technician',
    title: { en: 'Automotive technician', fr: 'Mécanicien / Mécanicienne automobile' },
    description: {
      en: 'Diagnoses and repairs cars, including the electric and hybrid vehicles now on the road.',
      fr: 'Diagnostique et répare les véhicules, y compris les modèles électriques et hybrides désormais en circulation.',
    },
    skills: ['mechanical repair', 'electronic diagnostics', 'problem solving', 'safety'],
    profile: { EI: 35, SN: 85, TF: 70, JP: 50 },
    aiResilience: 85,
    aiResilienceRationale:
      'Diagnostics are computer-aided, but the repair itself is hands-on work on varied vehicles.',
    growthOutlook: 'stable',
  },
  {
    id: 'hvac-technician',
    title: {
      en: 'Heating and heat pump technician',
      fr: 'Technicien / Technicienne en chauffage et pompes à chaleur',
    },
    description: {
      en: 'Installs and services heat pumps, boilers and ventilation systems.',
      fr: 'Installe et entretient les pompes à chaleur, les chaudières et les systèmes de ventilation.',
    },
    skills: [
      'refrigeration',
      'electrical basics',
      'installation',
      'diagnostics',
      'energy efficiency',
    ],
    profile: { EI: 45, SN: 85, TF: 65, JP: 60 },
    aiResilience: 92,
    aiResilienceRationale:
      'Physical installation in existing buildings is hard to automate, and the energy transition multiplies demand.',
    growthOutlook: 'booming',
  },
  {
    id: 'wind-turbine-technician',
    title: {
      en: 'Wind turbine technician',
      fr: 'Technicien / Technicienne de maintenance éolienne',
    },
    description: {
      en: 'Inspects, maintains and repairs wind turbines, often working at height.',
      fr: 'Inspecte, entretient et répare les éoliennes, souvent en travail en hauteur.',
    },
    skills: ['mechanics', 'electrical systems', 'working at height', 'safety procedures'],
    profile: { EI: 40, SN: 85, TF: 65, JP: 55 },
    aiResilience: 90,
    aiResilienceRationale:
      'Drones help inspect blades, but repairs at height in all weather need skilled technicians.',
    growthOutlook: 'booming',
  },
  {
    id: 'chef',
    title: { en: 'Chef', fr: 'Chef / Cheffe de cuisine' },
    description: {
      en: 'Creates dishes and runs a kitchen team through the pressure of service.',
      fr: 'Crée des plats et dirige une brigade de cuisine pendant le rush du service.',
    },
    skills: ['cooking techniques', 'creativity', 'team leadership', 'food safety', 'stamina'],
    profile: { EI: 55, SN: 70, TF: 50, JP: 60 },
    aiResilience: 85,
    aiResilienceRationale:
      'Taste, creativity and managing a live kitchen are physical and sensory work AI cannot take over.',
    growthOutlook: 'stable',
  },
  {
    id: 'welder',
    title: { en: 'Welder', fr: 'Soudeur / Soudeuse' },
    description: {
      en: 'Joins metal parts for structures, pipelines, vehicles and machines.',
      fr: 'Assemble des pièces métalliques pour des structures, des canalisations, des véhicules et des machines.',
    },
    skills: ['welding processes', 'blueprint reading', 'precision', 'metallurgy basics'],
    profile: { EI: 30, SN: 90, TF: 65, JP: 55 },
    aiResilience: 75,
    aiResilienceRationale:
      'Robots weld on production lines, but repair and site welding in awkward positions stay manual.',
    growthOutlook: 'stable',
  },
  {
    id: 'landscape-gardener',
    title: { en: 'Landscape gardener', fr: 'Jardinier paysagiste / Jardinière paysagiste' },
    description: {
      en: 'Designs, creates and maintains gardens and green spaces.',
      fr: 'Conçoit, aménage et entretient des jardins et des espaces verts.',
    },
    skills: ['horticulture', 'landscape design', 'machinery', 'physical stamina'],
    profile: { EI: 35, SN: 80, TF: 45, JP: 45 },
    aiResilience: 88,
    aiResilienceRationale:
      'Outdoor work with living plants in ever-changing terrain is hard for machines to handle.',
    growthOutlook: 'stable',
  },
  {
    id: 'hairdresser',
    title: { en: 'Hairdresser', fr: 'Coiffeur / Coiffeuse' },
    description: {
      en: 'Cuts, colours and styles hair while building a loyal clientele.',
      fr: 'Coupe, colore et coiffe les cheveux tout en fidélisant sa clientèle.',
    },
    skills: ['cutting techniques', 'colouring', 'customer relations', 'trend awareness'],
    profile: { EI: 70, SN: 75, TF: 35, JP: 40 },
    aiResilience: 95,
    aiResilienceRationale:
      'A personal, physical service where clients come for the human touch and conversation.',
    growthOutlook: 'stable',
  },
  // — Arts, media and design —
  {
    id: 'graphic-designer',
    title: { en: 'Graphic designer', fr: 'Graphiste' },
    description: {
      en: 'Creates visual identities, layouts and illustrations for print and screens.',
      fr: 'Crée des identités visuelles, des mises en page et des illustrations pour l’imprimé et les écrans.',
    },
    skills: ['typography', 'layout', 'design software', 'visual communication'],
    profile: { EI: 40, SN: 35, TF: 40, JP: 35 },
    aiResilience: 25,
    aiResilienceRationale:
      'Image generators now produce routine visuals in seconds, squeezing commodity design work.',
    growthOutlook: 'declining',
  },
  {
    id: 'musician',
    title: { en: 'Musician', fr: 'Musicien / Musicienne' },
    description: {
      en: 'Composes and performs music on stage, in the studio or for other media.',
      fr: 'Compose et interprète de la musique sur scène, en studio ou pour d’autres médias.',
    },
    skills: ['instrument or voice', 'composition', 'performance', 'discipline', 'collaboration'],
    profile: { EI: 50, SN: 25, TF: 25, JP: 25 },
    aiResilience: 55,
    aiResilienceRationale:
      'AI music floods background and stock uses, but live performance and artistic identity remain human.',
    growthOutlook: 'stable',
  },
  {
    id: 'journalist',
    title: { en: 'Journalist', fr: 'Journaliste' },
    description: {
      en: 'Investigates, verifies and reports news and stories for the public.',
      fr: 'Enquête, vérifie et raconte l’actualité pour le public.',
    },
    skills: ['interviewing', 'writing', 'fact-checking', 'curiosity', 'deadline management'],
    profile: { EI: 60, SN: 40, TF: 55, JP: 40 },
    aiResilience: 45,
    aiResilienceRationale:
      'Routine news writing is automated, while on-the-ground reporting and investigation keep their value.',
    growthOutlook: 'declining',
  },
  {
    id: 'copywriter',
    title: { en: 'Copywriter', fr: 'Concepteur-rédacteur / Conceptrice-rédactrice' },
    description: {
      en: 'Writes the words of advertisements, websites and brand campaigns.',
      fr: 'Écrit les textes des publicités, des sites web et des campagnes de marque.',
    },
    skills: ['writing', 'storytelling', 'brand voice', 'persuasion'],
    profile: { EI: 45, SN: 35, TF: 45, JP: 40 },
    aiResilience: 15,
    aiResilienceRationale:
      'Language models write serviceable marketing copy instantly, leaving mainly strategy and editing.',
    growthOutlook: 'declining',
  },
  {
    id: 'translator',
    title: { en: 'Translator', fr: 'Traducteur / Traductrice' },
    description: {
      en: 'Translates written documents faithfully from one language to another.',
      fr: 'Traduit fidèlement des documents écrits d’une langue vers une autre.',
    },
    skills: ['language mastery', 'cultural knowledge', 'precision', 'research'],
    profile: { EI: 25, SN: 55, TF: 50, JP: 65 },
    aiResilience: 15,
    aiResilienceRationale:
      'Machine translation handles most everyday text; humans keep literary, legal and certified work.',
    growthOutlook: 'declining',
  },
  {
    id: 'photographer',
    title: { en: 'Photographer', fr: 'Photographe' },
    description: {
      en: 'Captures images for events, clients, media or artistic projects.',
      fr: 'Réalise des images pour des événements, des clients, des médias ou des projets artistiques.',
    },
    skills: ['composition', 'lighting', 'photo editing', 'client relations'],
    profile: { EI: 45, SN: 60, TF: 40, JP: 30 },
    aiResilience: 45,
    aiResilienceRationale:
      'Stock and product imagery is being generated, but events and real people still need someone behind the camera.',
    growthOutlook: 'stable',
  },
  {
    id: 'actor',
    title: { en: 'Actor', fr: 'Comédien / Comédienne' },
    description: {
      en: 'Brings characters to life on stage, on screen or through voice work.',
      fr: 'Donne vie à des personnages sur scène, à l’écran ou par la voix.',
    },
    skills: ['interpretation', 'voice', 'memorisation', 'improvisation', 'resilience'],
    profile: { EI: 75, SN: 30, TF: 25, JP: 25 },
    aiResilience: 65,
    aiResilienceRationale:
      'Live theatre is untouched, while synthetic voices and faces threaten dubbing and minor screen roles.',
    growthOutlook: 'stable',
  },
  {
    id: 'game-designer',
    title: { en: 'Video game designer', fr: 'Game designer' },
    description: {
      en: 'Invents the rules, levels and experiences that make a video game fun.',
      fr: 'Imagine les règles, les niveaux et les expériences qui rendent un jeu vidéo captivant.',
    },
    skills: ['systems thinking', 'prototyping', 'storytelling', 'player psychology'],
    profile: { EI: 45, SN: 20, TF: 50, JP: 35 },
    aiResilience: 50,
    aiResilienceRationale:
      'AI speeds up asset and level creation, but designing what is fun remains a human creative call.',
    growthOutlook: 'stable',
  },
  {
    id: 'architect',
    title: { en: 'Architect', fr: 'Architecte' },
    description: {
      en: 'Designs buildings and oversees their construction from sketch to delivery.',
      fr: 'Conçoit des bâtiments et suit leur construction, de l’esquisse à la livraison.',
    },
    skills: [
      'design',
      'technical drawing',
      'building regulations',
      'project management',
      'client dialogue',
    ],
    profile: { EI: 50, SN: 30, TF: 55, JP: 60 },
    aiResilience: 62,
    aiResilienceRationale:
      'Generative tools speed up drafting, but site context, regulation and legal sign-off keep the architect central.',
    growthOutlook: 'stable',
  },
  // — Education —
  {
    id: 'primary-school-teacher',
    title: { en: 'Primary school teacher', fr: 'Professeur / Professeure des écoles' },
    description: {
      en: 'Teaches young children the foundations of reading, writing, mathematics and living together.',
      fr: 'Enseigne aux jeunes enfants les bases de la lecture, de l’écriture, des mathématiques et du vivre-ensemble.',
    },
    skills: [
      'pedagogy',
      'classroom management',
      'patience',
      'creativity',
      'communication with parents',
    ],
    profile: { EI: 65, SN: 60, TF: 25, JP: 70 },
    aiResilience: 88,
    aiResilienceRationale:
      'Young children learn through human relationships, supervision and care that software cannot provide.',
    growthOutlook: 'stable',
  },
  {
    id: 'secondary-school-teacher',
    title: { en: 'Secondary school teacher', fr: 'Professeur / Professeure de collège et lycée' },
    description: {
      en: 'Teaches a subject to teenagers and helps them find their way.',
      fr: 'Enseigne une discipline à des adolescents et les aide à trouver leur voie.',
    },
    skills: ['subject expertise', 'pedagogy', 'classroom management', 'assessment'],
    profile: { EI: 60, SN: 45, TF: 45, JP: 65 },
    aiResilience: 80,
    aiResilienceRationale:
      'AI tutors assist with practice, but motivating, mentoring and managing a class remain human work.',
    growthOutlook: 'stable',
  },
  {
    id: 'university-researcher',
    title: {
      en: 'University lecturer and researcher',
      fr: 'Enseignant-chercheur / Enseignante-chercheuse',
    },
    description: {
      en: 'Advances knowledge through research and teaches it to university students.',
      fr: 'Fait progresser les connaissances par la recherche et les transmet aux étudiants.',
    },
    skills: [
      'research methods',
      'academic writing',
      'critical thinking',
      'teaching',
      'grant writing',
    ],
    profile: { EI: 30, SN: 20, TF: 70, JP: 45 },
    aiResilience: 65,
    aiResilienceRationale:
      'AI accelerates literature review and analysis, but original questions and scientific accountability stay human.',
    growthOutlook: 'stable',
  },
  {
    id: 'special-education-teacher',
    title: {
      en: 'Special education teacher',
      fr: 'Enseignant spécialisé / Enseignante spécialisée',
    },
    description: {
      en: 'Adapts teaching for children and young people with disabilities or learning difficulties.',
      fr: 'Adapte l’enseignement aux enfants et aux jeunes en situation de handicap ou en difficulté d’apprentissage.',
    },
    skills: ['individualised teaching', 'patience', 'behaviour support', 'empathy', 'teamwork'],
    profile: { EI: 55, SN: 55, TF: 20, JP: 60 },
    aiResilience: 92,
    aiResilienceRationale:
      'Highly individual, relational support for vulnerable learners is among the least automatable teaching.',
    growthOutlook: 'growing',
  },
  {
    id: 'corporate-trainer',
    title: { en: 'Corporate trainer', fr: 'Formateur / Formatrice en entreprise' },
    description: {
      en: 'Designs and runs training that helps employees build new skills.',
      fr: 'Conçoit et anime des formations qui aident les salariés à acquérir de nouvelles compétences.',
    },
    skills: ['facilitation', 'instructional design', 'public speaking', 'needs analysis'],
    profile: { EI: 80, SN: 50, TF: 40, JP: 60 },
    aiResilience: 55,
    aiResilienceRationale:
      'E-learning content is easily generated; live facilitation and coaching keep the human role.',
    growthOutlook: 'stable',
  },
  {
    id: 'early-childhood-educator',
    title: { en: 'Early childhood educator', fr: 'Éducateur / Éducatrice de jeunes enfants' },
    description: {
      en: 'Supports the development and well-being of babies and young children in childcare settings.',
      fr: 'Accompagne le développement et le bien-être des tout-petits dans les structures d’accueil.',
    },
    skills: [
      'child development',
      'play-based learning',
      'patience',
      'observation',
      'parent relations',
    ],
    profile: { EI: 65, SN: 70, TF: 20, JP: 50 },
    aiResilience: 95,
    aiResilienceRationale:
      'Caring for toddlers is physical, emotional and trust-based work that families will not hand to machines.',
    growthOutlook: 'growing',
  },
  {
    id: 'librarian',
    title: { en: 'Librarian', fr: 'Bibliothécaire' },
    description: {
      en: 'Organises collections and helps the public find information, books and digital resources.',
      fr: 'Organise les collections et aide le public à trouver informations, livres et ressources numériques.',
    },
    skills: ['information retrieval', 'cataloguing', 'public service', 'digital literacy'],
    profile: { EI: 35, SN: 60, TF: 40, JP: 70 },
    aiResilience: 45,
    aiResilienceRationale:
      'Search and cataloguing are automated; community programmes and guidance keep some demand.',
    growthOutlook: 'declining',
  },
  // — Business and finance —
  {
    id: 'accountant',
    title: { en: 'Accountant', fr: 'Comptable' },
    description: {
      en: 'Records, checks and reports an organisation’s financial transactions.',
      fr: 'Enregistre, contrôle et présente les opérations financières d’une organisation.',
    },
    skills: ['bookkeeping', 'tax rules', 'spreadsheets', 'rigour', 'reporting'],
    profile: { EI: 30, SN: 85, TF: 70, JP: 85 },
    aiResilience: 30,
    aiResilienceRationale:
      'Bookkeeping and reconciliation are being automated; advisory and sign-off work remain.',
    growthOutlook: 'declining',
  },
  {
    id: 'financial-analyst',
    title: { en: 'Financial analyst', fr: 'Analyste financier / Analyste financière' },
    description: {
      en: 'Analyses financial data to guide investment and business decisions.',
      fr: 'Analyse des données financières pour orienter les décisions d’investissement et de gestion.',
    },
    skills: ['financial modelling', 'valuation', 'Excel', 'market research', 'reporting'],
    profile: { EI: 35, SN: 55, TF: 80, JP: 70 },
    aiResilience: 35,
    aiResilienceRationale:
      'Models and reports are increasingly generated automatically; judgement and client trust keep senior roles.',
    growthOutlook: 'stable',
  },
  {
    id: 'actuary',
    title: { en: 'Actuary', fr: 'Actuaire' },
    description: {
      en: 'Uses mathematics and statistics to price risk for insurers and pension funds.',
      fr: 'Utilise les mathématiques et les statistiques pour évaluer les risques des assureurs et des caisses de retraite.',
    },
    skills: ['probability', 'statistics', 'financial regulation', 'modelling'],
    profile: { EI: 25, SN: 55, TF: 85, JP: 80 },
    aiResilience: 45,
    aiResilienceRationale:
      'Computation is automated, but regulators require qualified humans to sign off on risk models.',
    growthOutlook: 'stable',
  },
  {
    id: 'sales-representative',
    title: { en: 'Sales representative', fr: 'Commercial / Commerciale' },
    description: {
      en: 'Finds customers, understands their needs and closes deals.',
      fr: 'Prospecte des clients, comprend leurs besoins et conclut des ventes.',
    },
    skills: [
      'prospecting',
      'negotiation',
      'relationship building',
      'resilience',
      'product knowledge',
    ],
    profile: { EI: 85, SN: 65, TF: 55, JP: 45 },
    aiResilience: 60,
    aiResilienceRationale:
      'Transactional sales move online, but complex deals still close on personal trust.',
    growthOutlook: 'stable',
  },
  {
    id: 'marketing-manager',
    title: { en: 'Marketing manager', fr: 'Responsable marketing' },
    description: {
      en: 'Plans campaigns and positioning that make a product known and wanted.',
      fr: 'Élabore les campagnes et le positionnement qui font connaître et désirer un produit.',
    },
    skills: ['market analysis', 'branding', 'campaign management', 'creativity', 'analytics'],
    profile: { EI: 70, SN: 35, TF: 50, JP: 55 },
    aiResilience: 50,
    aiResilienceRationale:
      'Content and targeting are largely automated; strategy and brand judgement remain human.',
    growthOutlook: 'stable',
  },
  {
    id: 'hr-manager',
    title: { en: 'Human resources manager', fr: 'Responsable des ressources humaines' },
    description: {
      en: 'Recruits, develops and supports employees and handles workplace relations.',
      fr: 'Recrute, fait évoluer et accompagne les salariés, et gère les relations sociales.',
    },
    skills: ['recruitment', 'employment law', 'conflict resolution', 'listening', 'negotiation'],
    profile: { EI: 65, SN: 55, TF: 35, JP: 70 },
    aiResilience: 60,
    aiResilienceRationale:
      'Screening and administration are automated; sensitive conversations and negotiations stay human.',
    growthOutlook: 'stable',
  },
  {
    id: 'project-manager',
    title: { en: 'Project manager', fr: 'Chef / Cheffe de projet' },
    description: {
      en: 'Plans and steers projects so they are delivered on time, on budget and to scope.',
      fr: 'Planifie et pilote des projets pour qu’ils soient livrés dans les délais, le budget et le périmètre prévus.',
    },
    skills: ['planning', 'risk management', 'coordination', 'communication', 'budgeting'],
    profile: { EI: 65, SN: 60, TF: 65, JP: 85 },
    aiResilience: 62,
    aiResilienceRationale:
      'Scheduling and reporting are automated, but aligning people and resolving conflicts remain human.',
    growthOutlook: 'growing',
  },
  {
    id: 'entrepreneur',
    title: { en: 'Entrepreneur', fr: 'Créateur / Créatrice d’entreprise' },
    description: {
      en: 'Spots an opportunity, builds a business around it and takes the risk.',
      fr: 'Repère une opportunité, construit une entreprise autour et en assume le risque.',
    },
    skills: ['vision', 'resourcefulness', 'selling', 'risk taking', 'leadership'],
    profile: { EI: 75, SN: 25, TF: 60, JP: 35 },
    aiResilience: 78,
    aiResilienceRationale:
      'AI lowers the cost of starting up, while vision, risk-taking and ownership stay human.',
    growthOutlook: 'growing',
  },
  {
    id: 'customer-service-agent',
    title: { en: 'Customer service agent', fr: 'Conseiller / Conseillère clientèle' },
    description: {
      en: 'Answers customer questions and resolves complaints by phone, chat or email.',
      fr: 'Répond aux questions des clients et traite leurs réclamations par téléphone, chat ou e-mail.',
    },
    skills: ['active listening', 'patience', 'problem solving', 'CRM tools'],
    profile: { EI: 60, SN: 75, TF: 35, JP: 60 },
    aiResilience: 15,
    aiResilienceRationale: 'Conversational AI already resolves a large share of routine contacts.',
    growthOutlook: 'declining',
  },
  {
    id: 'management-consultant',
    title: { en: 'Management consultant', fr: 'Consultant / Consultante en stratégie' },
    description: {
      en: 'Helps organisations solve strategic and operational problems.',
      fr: 'Aide les organisations à résoudre leurs problèmes stratégiques et opérationnels.',
    },
    skills: ['problem structuring', 'analysis', 'presentation', 'client management'],
    profile: { EI: 70, SN: 30, TF: 80, JP: 65 },
    aiResilience: 50,
    aiResilienceRationale:
      'Research and slide production are automated; client trust and change leadership carry the value.',
    growthOutlook: 'stable',
  },
  {
    id: 'real-estate-agent',
    title: { en: 'Real estate agent', fr: 'Agent immobilier / Agente immobilière' },
    description: {
      en: 'Helps people buy, sell and rent property, from viewings to signing.',
      fr: 'Accompagne l’achat, la vente et la location de biens, de la visite à la signature.',
    },
    skills: ['negotiation', 'local market knowledge', 'networking', 'sales'],
    profile: { EI: 80, SN: 65, TF: 50, JP: 40 },
    aiResilience: 50,
    aiResilienceRationale:
      'Listings and valuations go online, but viewings and negotiating a life-changing purchase stay personal.',
    growthOutlook: 'stable',
  },
  {
    id: 'logistics-manager',
    title: { en: 'Logistics manager', fr: 'Responsable logistique' },
    description: {
      en: 'Organises the flow of goods from suppliers to customers efficiently and reliably.',
      fr: 'Organise les flux de marchandises, des fournisseurs jusqu’aux clients, de façon efficace et fiable.',
    },
    skills: ['supply chain planning', 'inventory management', 'team leadership', 'data analysis'],
    profile: { EI: 55, SN: 75, TF: 70, JP: 80 },
    aiResilience: 50,
    aiResilienceRationale:
      'Optimisation software plans routes and stock; handling disruptions and managing teams remain human.',
    growthOutlook: 'growing',
  },
  {
    id: 'bank-teller',
    title: { en: 'Bank teller', fr: 'Guichetier / Guichetière de banque' },
    description: {
      en: 'Handles everyday banking operations for customers at a branch counter.',
      fr: 'Réalise les opérations bancaires courantes des clients au guichet d’une agence.',
    },
    skills: ['cash handling', 'accuracy', 'customer service', 'compliance'],
    profile: { EI: 55, SN: 85, TF: 50, JP: 80 },
    aiResilience: 10,
    aiResilienceRationale:
      'Online banking, ATMs and branch closures have already removed most counter transactions.',
    growthOutlook: 'declining',
  },
  {
    id: 'paralegal',
    title: { en: 'Paralegal', fr: 'Assistant juridique / Assistante juridique' },
    description: {
      en: 'Prepares legal documents and research to support lawyers.',
      fr: 'Prépare les actes et les recherches juridiques qui appuient le travail des avocats.',
    },
    skills: ['legal research', 'document drafting', 'organisation', 'confidentiality'],
    profile: { EI: 40, SN: 80, TF: 60, JP: 80 },
    aiResilience: 20,
    aiResilienceRationale:
      'Document review and drafting are among the tasks language models do best.',
    growthOutlook: 'declining',
  },
  {
    id: 'event-planner',
    title: { en: 'Event planner', fr: 'Organisateur / Organisatrice d’événements' },
    description: {
      en: 'Plans and runs conferences, weddings and festivals down to the last detail.',
      fr: 'Prépare et coordonne congrès, mariages et festivals jusque dans les moindres détails.',
    },
    skills: ['coordination', 'supplier negotiation', 'budgeting', 'composure under pressure'],
    profile: { EI: 80, SN: 65, TF: 40, JP: 70 },
    aiResilience: 72,
    aiResilienceRationale: 'Running a live event means handling people and surprises on the spot.',
    growthOutlook: 'stable',
  },
  // — Law and public service —
  {
    id: 'lawyer',
    title: { en: 'Lawyer', fr: 'Avocat / Avocate' },
    description: {
      en: 'Advises clients on their rights and represents them in negotiations and in court.',
      fr: 'Conseille ses clients sur leurs droits et les représente en négociation comme devant les tribunaux.',
    },
    skills: ['legal analysis', 'argumentation', 'negotiation', 'writing', 'ethics'],
    profile: { EI: 65, SN: 45, TF: 80, JP: 70 },
    aiResilience: 60,
    aiResilienceRationale:
      'Research and drafting are automated, but advocacy, strategy and professional liability stay human.',
    growthOutlook: 'stable',
  },
  {
    id: 'police-officer',
    title: { en: 'Police officer', fr: 'Policier / Policière' },
    description: {
      en: 'Protects people and property, responds to emergencies and investigates offences.',
      fr: 'Protège les personnes et les biens, intervient en urgence et enquête sur les infractions.',
    },
    skills: ['situational judgement', 'law', 'de-escalation', 'physical fitness', 'report writing'],
    profile: { EI: 60, SN: 80, TF: 60, JP: 75 },
    aiResilience: 85,
    aiResilienceRationale:
      'Field intervention and the lawful use of authority require accountable humans.',
    growthOutlook: 'stable',
  },
  {
    id: 'firefighter',
    title: { en: 'Firefighter', fr: 'Sapeur-pompier / Sapeuse-pompière' },
    description: {
      en: 'Fights fires, rescues people and provides first aid in emergencies.',
      fr: 'Combat les incendies, porte secours aux personnes et prodigue les premiers soins en urgence.',
    },
    skills: ['physical fitness', 'teamwork', 'first aid', 'composure under pressure'],
    profile: { EI: 60, SN: 85, TF: 55, JP: 65 },
    aiResilience: 97,
    aiResilienceRationale:
      'Rescue in chaotic, dangerous environments depends on human courage and judgement on the spot.',
    growthOutlook: 'stable',
  },
  {
    id: 'social-worker',
    title: { en: 'Social worker', fr: 'Assistant / Assistante de service social' },
    description: {
      en: 'Supports people and families through hardship and connects them with help.',
      fr: 'Accompagne les personnes et les familles en difficulté et les oriente vers les aides adaptées.',
    },
    skills: ['listening', 'social law', 'case management', 'empathy', 'resilience'],
    profile: { EI: 55, SN: 50, TF: 20, JP: 55 },
    aiResilience: 90,
    aiResilienceRationale:
      'Home visits, trust-building and sensitive decisions about vulnerable people require human presence.',
    growthOutlook: 'growing',
  },
  {
    id: 'urban-planner',
    title: { en: 'Urban planner', fr: 'Urbaniste' },
    description: {
      en: 'Shapes how towns and neighbourhoods grow, balancing housing, transport and the environment.',
      fr: 'Oriente l’aménagement des villes et des quartiers en conciliant logement, transports et environnement.',
    },
    skills: ['planning law', 'GIS', 'public consultation', 'systems thinking'],
    profile: { EI: 50, SN: 30, TF: 55, JP: 65 },
    aiResilience: 65,
    aiResilienceRationale:
      'Simulation is automated, but negotiating with residents and elected officials is political human work.',
    growthOutlook: 'stable',
  },
  {
    id: 'policy-analyst',
    title: { en: 'Public policy analyst', fr: 'Chargé / Chargée d’études en politiques publiques' },
    description: {
      en: 'Analyses public problems and evaluates options to inform government decisions.',
      fr: 'Analyse des problèmes publics et évalue des options pour éclairer les décisions des pouvoirs publics.',
    },
    skills: ['policy analysis', 'research', 'writing', 'economics', 'stakeholder consultation'],
    profile: { EI: 40, SN: 35, TF: 65, JP: 65 },
    aiResilience: 45,
    aiResilienceRationale:
      'Briefing notes and literature reviews are easily generated; political judgement stays human.',
    growthOutlook: 'stable',
  },
  {
    id: 'administrative-officer',
    title: { en: 'Administrative officer', fr: 'Agent administratif / Agente administrative' },
    description: {
      en: 'Processes files, applications and correspondence in a public or private administration.',
      fr: 'Traite des dossiers, des demandes et du courrier au sein d’une administration publique ou privée.',
    },
    skills: ['file processing', 'regulations', 'organisation', 'office software'],
    profile: { EI: 40, SN: 80, TF: 50, JP: 85 },
    aiResilience: 20,
    aiResilienceRationale:
      'Rule-based file processing is exactly what workflow automation and AI replace first.',
    growthOutlook: 'declining',
  },
  // — Science and engineering —
  {
    id: 'environmental-scientist',
    title: { en: 'Environmental scientist', fr: 'Chargé / Chargée d’études en environnement' },
    description: {
      en: 'Studies pollution, ecosystems and climate impacts, and recommends ways to protect them.',
      fr: 'Étudie la pollution, les écosystèmes et les effets du climat, et recommande des mesures pour les préserver.',
    },
    skills: ['field sampling', 'data analysis', 'environmental law', 'report writing'],
    profile: { EI: 40, SN: 45, TF: 55, JP: 55 },
    aiResilience: 70,
    aiResilienceRationale:
      'Fieldwork and regulatory responsibility keep humans involved as climate adaptation creates demand.',
    growthOutlook: 'growing',
  },
  {
    id: 'civil-engineer',
    title: { en: 'Civil engineer', fr: 'Ingénieur / Ingénieure en génie civil' },
    description: {
      en: 'Designs and supervises the construction of roads, bridges, water systems and buildings.',
      fr: 'Conçoit et supervise la construction de routes, de ponts, de réseaux d’eau et de bâtiments.',
    },
    skills: ['structural analysis', 'CAD', 'site supervision', 'regulations', 'project management'],
    profile: { EI: 45, SN: 65, TF: 75, JP: 75 },
    aiResilience: 70,
    aiResilienceRationale:
      'Calculations are automated, but site supervision and legal responsibility for safety stay human.',
    growthOutlook: 'stable',
  },
  {
    id: 'renewable-energy-engineer',
    title: {
      en: 'Renewable energy engineer',
      fr: 'Ingénieur / Ingénieure en énergies renouvelables',
    },
    description: {
      en: 'Designs solar, wind and storage projects and connects them to the grid.',
      fr: 'Conçoit des projets solaires, éoliens et de stockage et les raccorde au réseau.',
    },
    skills: [
      'energy systems',
      'electrical engineering',
      'feasibility studies',
      'project management',
    ],
    profile: { EI: 45, SN: 45, TF: 75, JP: 65 },
    aiResilience: 75,
    aiResilienceRationale:
      'The energy transition drives demand, and projects need engineers on site and accountable for safety.',
    growthOutlook: 'booming',
  },
  {
    id: 'chemist',
    title: { en: 'Research chemist', fr: 'Chimiste' },
    description: {
      en: 'Develops and tests new molecules and materials in the laboratory.',
      fr: 'Développe et teste de nouvelles molécules et de nouveaux matériaux en laboratoire.',
    },
    skills: ['laboratory techniques', 'analytical chemistry', 'experimental design', 'safety'],
    profile: { EI: 30, SN: 50, TF: 75, JP: 65 },
    aiResilience: 60,
    aiResilienceRationale:
      'AI proposes candidate molecules, yet experiments, interpretation and safety stay with scientists.',
    growthOutlook: 'stable',
  },
  {
    id: 'farmer',
    title: { en: 'Farmer', fr: 'Agriculteur / Agricultrice' },
    description: {
      en: 'Grows crops or raises livestock and runs the farm as a business.',
      fr: 'Cultive la terre ou élève des animaux et gère son exploitation comme une entreprise.',
    },
    skills: ['agronomy', 'machinery', 'animal care', 'business management', 'weather reading'],
    profile: { EI: 35, SN: 85, TF: 55, JP: 60 },
    aiResilience: 80,
    aiResilienceRationale:
      'Precision tools help, but running a farm through weather, animals and markets needs the farmer.',
    growthOutlook: 'stable',
  },
  {
    id: 'airline-pilot',
    title: { en: 'Airline pilot', fr: 'Pilote de ligne' },
    description: {
      en: 'Flies passengers or cargo safely and manages the crew on board.',
      fr: 'Transporte passagers ou fret en toute sécurité et encadre l’équipage à bord.',
    },
    skills: ['flying', 'procedures', 'decision making', 'crew resource management'],
    profile: { EI: 50, SN: 80, TF: 70, JP: 85 },
    aiResilience: 70,
    aiResilienceRationale:
      'Autopilots fly most of the route, but regulators and passengers require accountable humans in command.',
    growthOutlook: 'stable',
  },
  {
    id: 'truck-driver',
    title: { en: 'Truck driver', fr: 'Chauffeur routier / Chauffeuse routière' },
    description: {
      en: 'Transports goods by road over short or long distances.',
      fr: 'Transporte des marchandises par la route, sur de courtes ou de longues distances.',
    },
    skills: ['driving', 'road safety', 'route planning', 'loading', 'autonomy'],
    profile: { EI: 25, SN: 85, TF: 55, JP: 55 },
    aiResilience: 40,
    aiResilienceRationale:
      'Autonomous trucks progress on highways, while loading, urban delivery and exceptions still need a driver.',
    growthOutlook: 'stable',
  },
  {
    id: 'fitness-coach',
    title: { en: 'Fitness coach', fr: 'Coach sportif / Coach sportive' },
    description: {
      en: 'Designs training programmes and motivates clients to reach their fitness goals.',
      fr: 'Conçoit des programmes d’entraînement et motive ses clients pour atteindre leurs objectifs.',
    },
    skills: ['exercise science', 'motivation', 'communication', 'nutrition basics'],
    profile: { EI: 80, SN: 70, TF: 40, JP: 55 },
    aiResilience: 80,
    aiResilienceRationale:
      'Apps write programmes, but in-person correction and accountability are what clients pay for.',
    growthOutlook: 'growing',
  },
];

"""Common ingredients outside the cardiometabolic groups, for scripts/build_terminology.py.

Why they are in the package: a drug the package cannot classify makes "on blood-pressure
medication" uncertain (the physician is asked to confirm), so a record whose only drugs
are sertraline and omeprazole used to prompt on every patient. Listing what these drugs
*are* (their WHO ATC codes) lets the package say "recognised, not blood-pressure
treatment". The classes come from the ATC group alone (``ATC_CLASSES`` in the build
script gives none of these groups a class), so an entry here can never make a patient
count as treated.

Deliberately absent: ATC group C01 (digoxin, nitrates, antiarrhythmics) and every other
C group not covered by the build script: cardiac drugs are where "is this blood-pressure
treatment?" is a clinical judgement, so they stay unclassified and keep asking. Only
names whose RxNorm normalised form cannot be part of another drug's name are listed (no
bare salts such as "potassium", which appear in "losartan potassium").

Source: WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index 2025
(atcddd.fhi.no), level-5 codes; US adopted names (acetaminophen, albuterol, …) as
synonyms so RxNorm's names resolve. No RxCUIs: the codes could not be checked here, and
an unlisted RxNorm code resolves through its normalised name.
"""

from __future__ import annotations

#: name -> (ATC codes, synonyms)
OTHER_INGREDIENTS: dict[str, tuple[list[str], list[str]]] = {
    # analgesics, anti-inflammatories, muscle relaxants, gout (N02, M01, M03, M04)
    "paracetamol": (["N02BE01"], ["acetaminophen"]),
    "ibuprofen": (["M01AE01"], []), "naproxen": (["M01AE02"], []),
    "diclofenac": (["M01AB05"], []), "meloxicam": (["M01AC06"], []),
    "celecoxib": (["M01AH01"], []),
    "tramadol": (["N02AX02"], []), "morphine": (["N02AA01"], []),
    "oxycodone": (["N02AA05"], []), "fentanyl": (["N02AB03"], []),
    "codeine": (["R05DA04"], []), "sumatriptan": (["N02CC01"], []),
    "baclofen": (["M03BX01"], []), "tizanidine": (["M03BX02"], []),
    "cyclobenzaprine": (["M03BX08"], []),
    "allopurinol": (["M04AA01"], []), "febuxostat": (["M04AA03"], []),
    "colchicine": (["M04AC01"], []),
    "alendronic acid": (["M05BA04"], ["alendronate"]),
    # nervous system: antiepileptics, psycholeptics, psychoanaleptics (N03, N05, N06, N07)
    "gabapentin": (["N03AX12"], []), "pregabalin": (["N03AX16"], []),
    "levetiracetam": (["N03AX14"], []), "lamotrigine": (["N03AX09"], []),
    "topiramate": (["N03AX11"], []), "carbamazepine": (["N03AF01"], []),
    "phenytoin": (["N03AB02"], []), "clonazepam": (["N03AE01"], []),
    "valproic acid": (["N03AG01"], ["divalproex", "valproate"]),
    "sertraline": (["N06AB06"], []), "fluoxetine": (["N06AB03"], []),
    "citalopram": (["N06AB04"], []), "escitalopram": (["N06AB10"], []),
    "paroxetine": (["N06AB05"], []), "fluvoxamine": (["N06AB08"], []),
    "venlafaxine": (["N06AX16"], []), "duloxetine": (["N06AX21"], []),
    "bupropion": (["N06AX12"], []), "mirtazapine": (["N06AX11"], []),
    "trazodone": (["N06AX05"], []), "amitriptyline": (["N06AA09"], []),
    "nortriptyline": (["N06AA10"], []),
    "quetiapine": (["N05AH04"], []), "olanzapine": (["N05AH03"], []),
    "risperidone": (["N05AX08"], []), "aripiprazole": (["N05AX12"], []),
    "haloperidol": (["N05AD01"], []), "lithium": (["N05AN01"], []),
    "diazepam": (["N05BA01"], []), "lorazepam": (["N05BA06"], []),
    "alprazolam": (["N05BA12"], []), "zolpidem": (["N05CF02"], []),
    "methylphenidate": (["N06BA04"], []), "donepezil": (["N06DA02"], []),
    "memantine": (["N06DX01"], []), "varenicline": (["N07BA03"], []),
    # alimentary tract (A02, A03, A04, A06, A07, A11)
    "omeprazole": (["A02BC01"], []), "pantoprazole": (["A02BC02"], []),
    "lansoprazole": (["A02BC03"], []), "rabeprazole": (["A02BC04"], []),
    "esomeprazole": (["A02BC05"], []), "famotidine": (["A02BA03"], []),
    "ranitidine": (["A02BA02"], []), "metoclopramide": (["A03FA01"], []),
    "ondansetron": (["A04AA01"], []), "loperamide": (["A07DA03"], []),
    "docusate": (["A06AA02"], []), "lactulose": (["A06AD11"], []),
    "macrogol": (["A06AD15"], ["polyethylene glycol 3350"]),
    "colecalciferol": (["A11CC05"], ["cholecalciferol"]),
    "ergocalciferol": (["A11CC01"], []),
    # blood-forming (B03) — B01 is covered by the build script
    "cyanocobalamin": (["B03BA01"], []), "folic acid": (["B03BB01"], []),
    # hormones (H02, H03)
    "levothyroxine": (["H03AA01"], []), "liothyronine": (["H03AA02"], []),
    "thiamazole": (["H03BB02"], ["methimazole"]),
    "prednisone": (["H02AB07"], []), "prednisolone": (["H02AB06"], []),
    "methylprednisolone": (["H02AB04"], []), "dexamethasone": (["H02AB02"], []),
    "hydrocortisone": (["H02AB09"], []),
    # genito-urinary (G04)
    "tamsulosin": (["G04CA02"], []), "finasteride": (["G04CB01"], []),
    "oxybutynin": (["G04BD04"], []), "sildenafil": (["G04BE03"], []),
    "tadalafil": (["G04BE08"], []),
    # respiratory and antihistamines (R03, R06)
    "salbutamol": (["R03AC02"], ["albuterol"]), "salmeterol": (["R03AC12"], []),
    "formoterol": (["R03AC13"], []), "tiotropium": (["R03BB04"], []),
    "ipratropium": (["R03BB01"], []), "budesonide": (["R03BA02"], []),
    "fluticasone": (["R03BA05"], []),
    "beclometasone": (["R03BA01"], ["beclomethasone"]),
    "montelukast": (["R03DC03"], []), "cetirizine": (["R06AE07"], []),
    "loratadine": (["R06AX13"], []), "fexofenadine": (["R06AX26"], []),
    "diphenhydramine": (["R06AA02"], []),
    # anti-infectives (J01, J02, J05)
    "amoxicillin": (["J01CA04"], []), "azithromycin": (["J01FA10"], []),
    "doxycycline": (["J01AA02"], []), "ciprofloxacin": (["J01MA02"], []),
    "levofloxacin": (["J01MA12"], []), "cefalexin": (["J01DB01"], ["cephalexin"]),
    "nitrofurantoin": (["J01XE01"], []), "clindamycin": (["J01FF01"], []),
    "metronidazole": (["J01XD01"], []), "trimethoprim": (["J01EA01"], []),
    "sulfamethoxazole": (["J01EC01"], []),
    # clavulanic acid is only coded with amoxicillin (J01CR02); listed so that
    # "amoxicillin 875 MG / clavulanate 125 MG Oral Tablet" resolves as a whole
    "clavulanic acid": (["J01CR02"], ["clavulanate"]),
    "fluconazole": (["J02AC01"], []), "aciclovir": (["J05AB01"], ["acyclovir"]),
    "valaciclovir": (["J05AB11"], ["valacyclovir"]), "oseltamivir": (["J05AH02"], []),
    # immunomodulators and antimalarials used in rheumatology (L04, P01)
    "methotrexate": (["L04AX03"], []), "hydroxychloroquine": (["P01BA02"], []),
}

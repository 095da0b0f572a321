"""The sources the rules cite, each written once, the way the domain brief (IOP.md) cites it.

Officers copy these sources into the decisions their nämnd takes, so a rule never writes
a citation of its own: it joins these. tests/test_rule_sources.py checks that every
rule's source is made only of these citations.
"""

from __future__ import annotations

HFD_2020_15 = ("HFD 2020 ref. 15 (mål 3165-19, Alingsås kommun och Stiftelsen Bräcke "
               "diakoni)")
LOU = "lagen (2016:1145) om offentlig upphandling (LOU)"
LOU_DAMAGES = "LOU 21 kap. (upphandlingsskadeavgift)"
LOU_RESERVED = "LOU 19 kap. 25 a § (upphandling reserverad för idéburna organisationer)"
LOV_RESERVED = ("lagen (2008:962) om valfrihetssystem (LOV), 1 kap. 2 a § (reserverat "
                "valfrihetssystem)")
UHM = "Upphandlingsmyndigheten: frågeportalen om IOP, LOU och statsstöd"
KL = "kommunallagen (2017:725)"
KL_TASK = "kommunallagen (2017:725) 10 kap. (kommunal angelägenhet som lämnas över)"
KL_FULLMAKTIGE = ("kommunallagen (2017:725) 10 kap. 1 § (fullmäktige beslutar om att lämna "
                  "över en kommunal angelägenhet)")
KL_BUSINESS = ("kommunallagen (2017:725) 2 kap. 8 § (individuellt stöd till enskilda "
               "näringsidkare, synnerliga skäl)")
KL_BUDGET = "kommunallagen (2017:725) 11 kap. (budget)"
KL_APPEAL = "kommunallagen (2017:725) 13 kap. (laglighetsprövning)"

DE_MINIMIS = ("kommissionens förordning (EU) 2023/2831 (stöd av mindre betydelse, "
              "300 000 euro under tre år)")
DE_MINIMIS_GRANTED = "kommissionens förordning (EU) 2023/2831, art. 3.3 (när stöd beviljas)"
DE_MINIMIS_VALUE = ("kommissionens förordning (EU) 2023/2831, art. 3.5 och art. 4 "
                    "(bruttobidragsekvivalent, transparent stöd)")
DE_MINIMIS_CUMULATION = ("kommissionens förordning (EU) 2023/2831, art. 3.7 (stöd över taket "
                         "kan inte lämnas enligt förordningen)")
SGEI_DE_MINIMIS = ("kommissionens förordning (EU) 2023/2832 (stöd av mindre betydelse för "
                   "tjänster av allmänt ekonomiskt intresse, SGEI, 750 000 euro under tre år)")
SGEI_DECISION = ("kommissionens beslut 2012/21/EU (SGEI-beslutet, om ersättning för tjänster "
                 "av allmänt ekonomiskt intresse)")
GBER = "kommissionens förordning (EU) nr 651/2014 (gruppundantag)"
STATE_AID_ACT = ("12 a § lagen (2013:388) om tillämpning av Europeiska unionens "
                 "statsstödsregler (registrering från 2026-01-01)")

SOL = "socialtjänstlagen (2025:400)"

REGISTRATION = "lag (2022:900) om registrering av idéburna organisationer"
IVO = ("socialtjänstlagen (2025:400) och lagen (1993:387) om stöd och service till vissa "
       "funktionshindrade (LSS): tillstånd från Inspektionen för vård och omsorg (IVO)")
CHILD_RIGHTS = ("lag (2018:1197) om Förenta nationernas konvention om barnets "
                "rättigheter")
REGISTER_CHECK = ("lag (2013:852) om registerkontroll av personer som ska arbeta med barn, "
                  "lag (2007:171) om registerkontroll av personal vid vissa boenden som tar "
                  "emot barn, lag (2010:479) om registerkontroll av personal som utför vissa "
                  "insatser åt barn med funktionshinder")
GDPR = "dataskyddsförordningen (EU) 2016/679"
OSL_CONSENT = ("offentlighets- och sekretesslagen (2009:400) 12 kap. 2–3 §§ (samtycke) och "
               "26 kap. 1 § (socialtjänstsekretess)")

FORUM = "Forum – idéburna organisationer med social inriktning: IOP-modellen"
MUNICIPAL = ("kommunala riktlinjer för IOP (Uddevalla, Borås, Malmö, Region Jönköpings "
             "län)")
SKR = "SKR (2018) om utveckling av IOP"
SKATTEVERKET = "Skatteverket: Organisationsnummer (SKV 709), gruppnummer"
IOPKIT = "iopkit"

#: Every citation above: a rule's source is made of these, joined by "; ".
ALL = (HFD_2020_15, LOU, LOU_DAMAGES, LOU_RESERVED, LOV_RESERVED, UHM, KL, KL_TASK,
       KL_FULLMAKTIGE, KL_BUSINESS, KL_BUDGET, KL_APPEAL,
       DE_MINIMIS, DE_MINIMIS_GRANTED, DE_MINIMIS_VALUE, DE_MINIMIS_CUMULATION, SGEI_DE_MINIMIS, SGEI_DECISION, GBER, STATE_AID_ACT,
       SOL, REGISTRATION, IVO, CHILD_RIGHTS, REGISTER_CHECK, GDPR, OSL_CONSENT, FORUM, MUNICIPAL, SKR,
       SKATTEVERKET)


def cite(*sources: str) -> str:
    return "; ".join(sources)

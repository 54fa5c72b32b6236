"""Words that look like names but identify nobody: prisons, institutions, places, role
titles, the project's own terms (`qcode pii allow`) and the codebook's code names."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Lima's prisons and Peru's other large ones, by their usual names.
PRISONS = """Lurigancho | San Juan de Lurigancho | Castro Castro | Miguel Castro Castro |
Canto Grande | Sarita Colonia | Ancón | Ancón I | Ancón II | Piedras Gordas | Santa Mónica |
Virgen de Fátima | Chorrillos | Callao | Challapalca | Yanamayo | Quencoro | Huacariz |
Socabaya | Cambio Puente | Huaral | Aucallama | El Frontón | Barbadillo | Huaraz | Tumbes"""
INSTITUTIONS = """INPE | Instituto Nacional Penitenciario | Ministerio de Justicia | MINJUS |
MINJUSDH | PNP | Policía Nacional | Policía | Defensoría del Pueblo | Defensoría |
Poder Judicial | Ministerio Público | Fiscalía | Fiscal | RENIEC | SUNAT | OSIPTEL | MTC |
Congreso | Contraloría | Procuraduría | ONG | UNODC | Naciones Unidas | ONU | Cruz Roja |
CICR | Estado | Gobierno | Presidencia | Consejo Nacional Penitenciario | Asuntos Internos |
Oficina de Asuntos Internos | Órgano de Control | Inspectoría | Sendero Luminoso | MRTA |
Claro | Movistar | Entel | Bitel | WhatsApp | Facebook | Instagram | TikTok | Telegram |
Google | Samsung | Nokia | Motorola | Huawei | Xiaomi | iPhone | Android | Yape | Plin |
Zoom | Teams | Otter | Word | Excel | NVivo | ATLAS.ti | MAXQDA | QualCoder | Taguette"""
PLACES = """Lima | Lima Metropolitana | Perú | Peru | Arequipa | Cusco | Cuzco | Trujillo |
Chiclayo | Piura | Iquitos | Puno | Juliaca | Huancayo | Ayacucho | Tacna | Ica | Chimbote |
Huánuco | Cajamarca | Lambayeque | Junín | Loreto | Ucayali | Áncash | Apurímac | Madre de
Dios | San Martín | Amazonas | Pasco | Moquegua | Tarapoto | Pucallpa | Miraflores |
Barranco | Surco | Santiago de Surco | San Isidro | Comas | Los Olivos | Villa El Salvador |
Villa María del Triunfo | Ate | Carabayllo | Puente Piedra | La Victoria | Rímac | Breña |
Jesús María | Lince | Chosica | Santa Anita | El Agustino | Independencia | San Borja |
San Miguel | Magdalena | Pueblo Libre | Chaclacayo | Cercado | Cercado de Lima | Gamarra |
Mesa Redonda | Abancay | Javier Prado | Panamericana | Vía Expresa | Bolivia | Chile |
Colombia | Ecuador | Venezuela | Brasil | Brazil | Argentina | México | Mexico | España |
Spain | Estados Unidos | United States | USA | Europa | Europe | América | Latinoamérica |
Latin America | London | Londres | Madrid | Washington | Andes | Amazonía | Amazon |
El Salvador | Honduras | Guatemala | Nicaragua | Costa Rica | Panamá | Panama | Cuba |
Haití | Haiti | República Dominicana | Puerto Rico | Paraguay | Uruguay | Canadá | Canada |
Centroamérica | Central America | South America | North America | América Latina |
Sudamérica | Caribe | Caribbean | Francia | France | Italia | Italy | Alemania | Germany |
Reino Unido | United Kingdom | UK | Inglaterra | England | China | Japón | Japan |
Puerto Maldonado | Cerro de Pasco | Huancavelica | Tingo María | Jaén | Bagua | Sullana |
Talara | Moyobamba | Andahuaylas | Barranca | Huacho | Cañete | Chincha | Pisco | Nazca |
Ilo | Mollendo | Ayaviri | Quillabamba | Sicuani | La Oroya | Tarma | Satipo | Yurimaguas |
San Juan de Miraflores | San Martín de Porres | Surquillo | Ventanilla | La Perla |
Bellavista | Mi Perú | Pachacámac | Lurín | Cieneguilla | Huaycán | Manchay | Collique |
Zárate | Mangomarca | Canto Rey | Jicamarca | Cajamarquilla | Huachipa | Chaclacayo |
Punta Negra | San Bartolo | Pucusana | Santa Rosa | La Molina | San Luis | Lima Norte |
Lima Sur | Lima Este | Cono Norte | Cono Sur | Panamericana Norte | Panamericana Sur"""
ROLES = """Director | Directora | Alcaide | Jefe | Jefa | Subdirector | Subdirectora | Agente |
Técnico | Técnica | Suboficial | Oficial | Coronel | Comandante | Capitán | Teniente |
Sargento | Ministro | Ministra | Presidente | Presidenta | Fiscal | Juez | Jueza | Doctor |
Doctora | Licenciado | Licenciada | Ingeniero | Ingeniera | Señor | Señora | Don | Doña |
Warden | Officer | Guard | Inmate | Interviewer | Respondent | Entrevistador | Entrevistadora
| Entrevistado | Entrevistada | Interno | Interna | Guardia | Experto | Experta | Expert |
Voluntario | Voluntaria | Volunteer | Administrador | Administradora | Administrator |
Moderador | Moderadora | Moderator | Participante | Participant | Speaker | Hablante |
Pabellón | Pabellones | Wing | Block | Dios | God | Cristo | Christ | Virgen | Navidad |
Christmas | Semana Santa | Easter | Año Nuevo | Fiestas Patrias | COVID | Covid"""


def fold(text: str) -> str:
    """Case- and accent-insensitive form used to compare terms, with single spaces."""
    if text.isascii():  # casefold is lower and NFD changes nothing: the common case
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


# `fold` for single words, which recur; phrases and passages, which seldom do, go to `fold`
# directly so that they do not push the words out of the cache.
plain = lru_cache(maxsize=65536)(fold)


DEFAULTS: frozenset[str] = frozenset(
    plain(term) for block in (PRISONS, INSTITUTIONS, PLACES, ROLES)
    for term in block.replace("\n", " ").split("|") if term.strip())


class Allowlist:
    """Terms (phrases or single words) that are never reported, compared by `plain()`."""

    _heads: set[str] | None  # the terms' first words, learnt again after each `add`

    def __init__(self, terms: Iterable[str] = (), defaults: bool = True):
        self.terms: set[str] = set(DEFAULTS) if defaults else set()
        self.add(terms)

    def add(self, terms: Iterable[str]) -> None:
        self.terms.update(p for p in (fold(t) for t in terms) if p)
        self._heads = None

    def __contains__(self, text: str) -> bool:
        return fold(text) in self.terms

    def phrase(self, text: str) -> bool:
        """`text in self`, answered without folding the whole text when its first word
        begins no term (most capitalised sequences of a transcript)."""
        if self._heads is None:
            self._heads = {term.partition(" ")[0] for term in self.terms}
        words = text.split()
        return bool(words) and plain(words[0]) in self._heads and fold(text) in self.terms


def project_terms(conn: sqlite3.Connection) -> list[str]:
    """The project's own allowed terms plus its codebook's code names (and their words)."""
    terms = [row[0] for row in conn.execute("SELECT term FROM pii_allow ORDER BY term")]
    for (name,) in conn.execute("SELECT name FROM code WHERE retired_at IS NULL"):
        terms.append(name)
        terms.extend(word for word in name.split() if len(word) > 3)
    return terms


def project_allowlist(conn: sqlite3.Connection) -> Allowlist:
    return Allowlist(project_terms(conn))


def add_terms(conn: sqlite3.Connection, terms: list[str]) -> list[str]:
    """Store terms in the project's allowlist; return those that were new."""
    from ..errors import InputError
    from ..store import atomic, now

    cleaned = [" ".join(t.split()) for t in terms]
    if not terms or any(not t for t in cleaned):
        raise InputError("pii allow: give one or more non-empty terms, e.g. "
                         "`qcode pii allow \"Penal de Ancón\" \"Patio Chico\"`")
    known = {plain(r[0]) for r in conn.execute("SELECT term FROM pii_allow")}
    added = []
    with atomic(conn):
        for term in dict.fromkeys(cleaned):
            if plain(term) not in known:
                conn.execute("INSERT INTO pii_allow (term, added_at) VALUES (?, ?)", (term, now()))
                known.add(plain(term))
                added.append(term)
    return added


def remove_terms(conn: sqlite3.Connection, terms: list[str]) -> int:
    from ..store import atomic

    wanted = {plain(t) for t in terms}
    rows = [r[0] for r in conn.execute("SELECT term FROM pii_allow") if plain(r[0]) in wanted]
    with atomic(conn):
        conn.executemany("DELETE FROM pii_allow WHERE term = ?", [(t,) for t in rows])
    return len(rows)

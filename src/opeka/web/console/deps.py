"""The console's permission dependencies, one alias per permission of the policy's roles.

A route declares what it needs in its signature (``principal: JournalRead``), so the server
refuses (403) whatever the role may not do, and the role × route matrix test reads each
route's requirement from the route itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from opeka.policy.schema import Permission as P
from opeka.web.principals import RequirePermission, RequireStaff, StaffPrincipal

Staff = Annotated[StaffPrincipal, Depends(RequireStaff())]
SubjectsSearch = Annotated[StaffPrincipal, Depends(RequirePermission(P.SUBJECTS_SEARCH))]
SubjectsUnmask = Annotated[StaffPrincipal, Depends(RequirePermission(P.SUBJECTS_UNMASK))]
SubjectsEdit = Annotated[StaffPrincipal, Depends(RequirePermission(P.SUBJECTS_EDIT))]
SubjectsBlock = Annotated[StaffPrincipal, Depends(RequirePermission(P.SUBJECTS_BLOCK))]
SubjectsDestroy = Annotated[StaffPrincipal, Depends(RequirePermission(P.SUBJECTS_DESTROY))]
RequestsRead = Annotated[StaffPrincipal, Depends(RequirePermission(P.REQUESTS_READ))]
RequestsManage = Annotated[StaffPrincipal, Depends(RequirePermission(P.REQUESTS_MANAGE))]
ConsentsRead = Annotated[StaffPrincipal, Depends(RequirePermission(P.CONSENTS_READ))]
DocumentsRead = Annotated[StaffPrincipal, Depends(RequirePermission(P.DOCUMENTS_READ))]
JournalRead = Annotated[StaffPrincipal, Depends(RequirePermission(P.JOURNAL_READ))]
JournalVerify = Annotated[StaffPrincipal, Depends(RequirePermission(P.JOURNAL_VERIFY))]
AnalyticsRead = Annotated[StaffPrincipal, Depends(RequirePermission(P.ANALYTICS_READ))]
StaffManage = Annotated[StaffPrincipal, Depends(RequirePermission(P.STAFF_MANAGE))]
ApiKeysManage = Annotated[StaffPrincipal, Depends(RequirePermission(P.APIKEYS_MANAGE))]

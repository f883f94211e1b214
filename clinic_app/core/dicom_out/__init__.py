"""AI results as standard DICOM: SEG, Comprehensive 3D SR (TID 1500) and KO, via highdicom.

Nothing here touches the store or knows about users: the results service gathers the
findings, reviews and source image headers, and these modules turn them into datasets.
Readers of other systems' SEG, SR and KO objects live in :mod:`.foreign`.
"""

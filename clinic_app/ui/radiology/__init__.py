"""The radiologist workspace: worklist, viewer with MPR and measurements, AI findings review."""

//! annex-sbom: SBOM documents from an inventory (CycloneDX 1.6/1.7 JSON and XML, SPDX 2.3
//! JSON and tag-value, SPDX 3.0.1 JSON-LD), readers for CycloneDX and SPDX JSON, and the
//! BSI TR-03183-2 completeness check.

"""Exchange packages: a referral travelling from one nrm deployment to another.

A package is a JSON envelope: its payload (HTCDS field names, schema ``nrm-exchange/1``) is
encrypted to the receiving deployment and the envelope is signed by the sending one. This
package holds the deployment's own identity and keys (`identity`), the envelope (`envelope`),
the payload's schema (`schema`), the partner deployments (`models`), and the pages, API and
services that send and receive packages.
"""

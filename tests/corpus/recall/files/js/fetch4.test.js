fetch(url, { headers: { authorization: 'Basic YmlsbGluZzpjeXgrZXMyNHN1Q3l0LS0=' } });

fetch(url, { headers: { authorization: 'Basic ZGVwbG95OmRvcGVnYzIzNQ==' } });

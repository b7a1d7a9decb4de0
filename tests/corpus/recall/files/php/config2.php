<?php
$password = 'IUWR1226edr';
return ['db' => ['password' => 'uM2pbaD91G6']];
